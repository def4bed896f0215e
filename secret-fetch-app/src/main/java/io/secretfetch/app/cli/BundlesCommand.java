package io.secretfetch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.app.ExitCodes;
import io.secretfetch.app.serve.EngineRuntime;
import io.secretfetch.camunda.bundle.Bundle;
import io.secretfetch.camunda.bundle.BundleExporter;
import io.secretfetch.camunda.bundle.BundleImporter;
import io.secretfetch.camunda.bundle.ExportResult;
import io.secretfetch.camunda.bundle.ImportResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code secret-fetch bundles ...}: flow bundles (a folder or zip of BPMN files and {@code
 * secret-manifest.json}) between environments. validate, import and revalidate run an engine on
 * the configured engine database (the H2 file of the data directory by default, which only one
 * process may open at a time: stop {@code serve} first, or use PostgreSQL).
 */
@Command(name = "bundles", description = "Export, validate and import flow bundles (BPMN +"
    + " secret-manifest.json).")
final class BundlesCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "export", description = "Scan the bundle's BPMN and write its manifest (the"
      + " secrets it needs, as slots; never values). Slot names an operator edited are kept.")
  int export(
      @Parameters(paramLabel = "BUNDLE", description = "A bundle folder or zip.") Path bundle,
      @Option(names = "--out", paramLabel = "FILE", description = "Where to write the manifest"
          + " (default: BUNDLE/secret-manifest.json; required for a zip).") Path out) {
    ExportResult r = io(() -> new BundleExporter().export(bundle), bundle);
    if (!r.problems().isOk()) {
      print(r.problems(), "Not exported: the BPMN breaks the secret-flow rules.");
      return ExitCodes.CHECK_FAILED;
    }
    Path target = out != null ? out : Files.isDirectory(bundle)
        ? bundle.resolve(SecretManifest.FILE_NAME) : null;
    if (target == null) {
      throw new CliException(ExitCodes.USAGE, bundle + " is a zip; the manifest cannot be"
          + " written into it", "Give --out FILE, and add the file to the zip as "
          + SecretManifest.FILE_NAME + ".");
    }
    io(() -> {
      r.manifest().write(target);
      return null;
    }, target);
    List<List<String>> rows = new ArrayList<>();
    for (ManifestSlot s : r.manifest().slots()) {
      rows.add(List.of(s.slot(), Output.cell(s.ref()), s.usedBy().toString()));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("manifest", target.toString());
    result.put("slots", r.manifest().slots());
    root.out().print(result, "Wrote " + target + " with " + rows.size() + " slot(s):\n"
        + Output.table(List.of("SLOT", "REF", "USED BY"), rows)
        + "Next: secret-fetch bindings template " + bundle + " --out profile.json");
    return ExitCodes.OK;
  }

  @Command(name = "validate", description = "Check the bundle against this environment: BPMN"
      + " rules, manifest against BPMN, and every slot's secret (exists, live, readable; no"
      + " value read). Exit 1 with the report when anything fails.")
  int validate(@Parameters(paramLabel = "BUNDLE") Path bundle) {
    return withImporter("Validating " + bundle, bundle, (importer, b) -> {
      ValidationReport report = importer.validate(b, root.context().tenantId());
      print(report, report.isOk() ? "Valid: every slot of " + report.subject() + " resolves."
          : "Not valid:");
      return report.isOk() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    });
  }

  @Command(name = "import", description = "Validate and deploy the bundle. While a slot does not"
      + " resolve the import is refused (exit 1, with the report), or with --suspended deployed"
      + " with its processes suspended until 'bundles revalidate'.")
  int importBundle(
      @Parameters(paramLabel = "BUNDLE") Path bundle,
      @Option(names = "--suspended", description = "Deploy suspended instead of refusing.")
          boolean suspended) {
    return withImporter("Importing " + bundle, bundle, (importer, b) -> {
      ImportResult r = importer.importBundle(b, root.context().tenantId(),
          suspended ? BundleImporter.Mode.DEPLOY_SUSPENDED : BundleImporter.Mode.REFUSE);
      return report(r, bundle);
    });
  }

  @Command(name = "revalidate", description = "Validate a suspended deployment's manifest again"
      + " and activate its processes when every slot resolves.")
  int revalidate(@Parameters(paramLabel = "DEPLOYMENT_ID") String deploymentId) {
    try (EngineRuntime runtime = EngineRuntime.open(root.config(), root.storeSettings(),
        "secret-fetch", false)) {
      ImportResult r;
      try {
        r = new BundleImporter(runtime.engine()).revalidate(deploymentId);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.NOT_FOUND, e.getMessage(),
            "Give the deployment id 'bundles import --suspended' printed.");
      }
      return report(r, null);
    }
  }

  private int report(ImportResult r, Path bundle) {
    String text = switch (r.outcome()) {
      case DEPLOYED -> "Imported as deployment " + r.deploymentId() + ".";
      case ACTIVATED -> "Every slot resolves: deployment " + r.deploymentId() + " is active.";
      case DEPLOYED_SUSPENDED -> "Deployed " + r.deploymentId() + " SUSPENDED until its slots"
          + " resolve; then: secret-fetch bundles revalidate " + r.deploymentId() + "\n";
      case STILL_SUSPENDED -> "Still suspended:";
      case REFUSED -> "Import BLOCKED; nothing was deployed. Bind the slots (secret-fetch"
          + " bindings template " + bundle + " --out profile.json, fill it in, secret-fetch"
          + " bindings apply " + bundle + " @profile.json) and import again.\n";
    };
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("outcome", r.outcome());
    result.put("deploymentId", r.deploymentId());
    result.put("processDefinitionIds", r.processDefinitionIds());
    result.put("report", json(r.report()));
    root.out().print(result, r.report().isOk() ? text : text + r.report().summary());
    return switch (r.outcome()) {
      case DEPLOYED, ACTIVATED, DEPLOYED_SUSPENDED -> ExitCodes.OK;
      case REFUSED, STILL_SUSPENDED -> ExitCodes.CHECK_FAILED;
    };
  }

  /** Opens the engine and reads the bundle, with a progress bar over the stages. */
  private int withImporter(String label, Path bundle, ImporterWork work) {
    try (Progress bar = root.progress(label)) {
      bar.update(0, 3);
      try (EngineRuntime runtime = EngineRuntime.open(root.config(), root.storeSettings(),
          "secret-fetch", false)) {
        bar.update(1, 3);
        BundleImporter importer = new BundleImporter(runtime.engine());
        Bundle b = io(() -> Bundle.open(bundle), bundle);
        bar.update(2, 3);
        int code = work.run(importer, b);
        bar.update(3, 3);
        return code;
      }
    }
  }

  private interface ImporterWork {
    int run(BundleImporter importer, Bundle bundle);
  }

  private void print(ValidationReport report, String text) {
    root.out().print(json(report), report.isOk() ? text : text + "\n" + report.summary());
  }

  static JsonNode json(ValidationReport report) {
    try {
      return Output.JSON.readTree(report.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs file work, turning a missing or unreadable path into a usage error. */
  static <T> T io(IoWork<T> work, Path path) {
    try {
      return work.run();
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, path + " does not exist",
          "Give the path of a bundle folder or zip (e.g. examples/quickstart).");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, path + " cannot be read or written ("
          + e.getClass().getSimpleName() + ")", "Check the path and its permissions.");
    }
  }

  interface IoWork<T> {
    T run() throws IOException;
  }

  /** The manifest of a bundle folder or zip, or a manifest file given directly. */
  static SecretManifest manifest(Path path) {
    if (path.toString().endsWith(".json")) {
      return io(() -> SecretManifest.read(path), path);
    }
    Bundle b = io(() -> Bundle.open(path), path);
    return b.manifest().orElseThrow(() -> new CliException(ExitCodes.USAGE, path + " has no "
        + SecretManifest.FILE_NAME, "Write it first: secret-fetch bundles export " + path));
  }

  static <T> List<List<String>> rows(List<T> items, Function<T, List<String>> row) {
    return items.stream().map(row).toList();
  }
}
