package io.secretfetch.app.cli;

import io.secretfetch.api.manifest.BindingsProfile;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.app.ExitCodes;
import io.secretfetch.app.serve.EngineRuntime;
import io.secretfetch.platform.bindings.Bindings;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code secret-fetch bindings ...}: the values of a bundle's slots, stored in the platform store
 * under each slot's ref (the seeds' {@code bindings template|apply|show}).
 */
@Command(name = "bindings", description = "Write a bindings template, apply a profile (values or"
    + " generate), show bindings without values.")
final class BindingsCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "template", description = "Write a profile with one entry per slot and no"
      + " values, to fill in.")
  int template(
      @Parameters(paramLabel = "BUNDLE", description = "A bundle folder or zip, or a manifest"
          + " file.") Path bundle,
      @Option(names = "--out", paramLabel = "FILE", description = "Write here (a new"
          + " owner-only file) instead of standard output.") Path out) {
    String template = Bindings.template(BundlesCommand.manifest(bundle));
    if (out == null) {
      root.out().print(root.out().json() ? BundlesCommand.io(() -> Output.JSON.readTree(template),
          bundle) : null, template);
      return ExitCodes.OK;
    }
    SecretsCommand.writeOwnerOnly(out, template.getBytes(StandardCharsets.UTF_8));
    root.out().print(Map.of("file", out.toString()), "Wrote " + out + ". Fill in each"
        + " \"secret\" (a value, or {\"generate\": {\"length\": 32, \"alphabet\": \"base62\"}}),"
        + " then: secret-fetch bindings apply " + bundle + " @" + out);
    return ExitCodes.OK;
  }

  @Command(name = "apply", description = "Store each value of the profile under its slot's ref"
      + " (create, or rotate to a new version); 'generate' entries are drawn by the store and"
      + " never shown. The whole profile is checked first; on any error nothing is written.")
  int apply(
      @Parameters(index = "0", paramLabel = "BUNDLE") Path bundle,
      @Parameters(index = "1", paramLabel = "@PROFILE|-", description = "The profile (JSON):"
          + " @FILE or - (standard input).") String profileSource) {
    SecretManifest manifest = BundlesCommand.manifest(bundle);
    byte[] bytes = ValueInput.readBytes(profileSource, root.stdin());
    try (BindingsProfile profile = BindingsProfile.parse(bytes, profileSource.equals("-")
            ? "standard input" : profileSource.substring(1));
        PlatformSecretStore store = root.openStore()) {
      Bindings.ApplyResult r = bindings(store).apply(manifest, profile, root.context());
      StringBuilder text = new StringBuilder();
      r.applied().forEach(a -> text.append(a.created() ? "Created " : "Rotated ")
          .append(a.ref()).append(" version ").append(a.version()).append(" for slot '")
          .append(a.slot()).append("'\n"));
      text.append(r.report().isOk() ? "Every platform slot of " + r.report().subject()
          + " resolves. Next: secret-fetch bundles import " + bundle
          : "Still not resolving:\n" + r.report().summary());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("applied", r.applied());
      result.put("report", BundlesCommand.json(r.report()));
      root.out().print(result, text.toString());
      return r.report().isOk() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Command(name = "show", description = "Each slot with its ref, provider, active version and"
      + " last update; never a value.")
  int show(@Parameters(paramLabel = "BUNDLE") Path bundle) {
    SecretManifest manifest = BundlesCommand.manifest(bundle);
    try (PlatformSecretStore store = root.openStore()) {
      List<Bindings.BindingInfo> infos = bindings(store).show(manifest, root.context());
      root.out().print(infos, Output.table(List.of("SLOT", "REF", "PROVIDER", "VERSION",
          "UPDATED", "STATUS"), BundlesCommand.rows(infos, b -> List.of(b.slot(),
          Output.cell(b.ref()), Output.cell(b.provider()), Output.cell(b.version()),
          Output.cell(b.updatedAt()), b.status()))));
      return ExitCodes.OK;
    }
  }

  private Bindings bindings(PlatformSecretStore store) {
    return new Bindings(store, EngineRuntime.PLATFORM, root.config().defaultProvider());
  }
}
