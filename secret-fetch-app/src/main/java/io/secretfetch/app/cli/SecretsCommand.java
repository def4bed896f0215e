package io.secretfetch.app.cli;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretValue;
import io.secretfetch.app.ExitCodes;
import io.secretfetch.platform.store.GeneratedValue;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.Page;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.Rotation;
import io.secretfetch.platform.store.SecretCategory;
import io.secretfetch.platform.store.SecretInfo;
import io.secretfetch.platform.store.SecretMaterial;
import io.secretfetch.platform.store.SecretQuery;
import io.secretfetch.platform.store.VersionInfo;
import io.secretfetch.platform.store.WriteResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch secrets ...}: the platform store's secrets. */
@Command(name = "secrets", description = "Create, rotate, read and retire secrets in the"
    + " platform store. Values come from @FILE, standard input or a prompt, never arguments.")
final class SecretsCommand {
  @ParentCommand SecretFetchCommand root;

  /** A value source, or generation. */
  static final class ValueSource {
    @Option(names = "--value", paramLabel = "@FILE|-", description = ValueInput.OPTION_HELP)
    String value;

    @Option(names = "--generate", description = "Let the store generate a random value (not"
        + " shown; read it with 'secrets value NAME --stdout').")
    boolean generate;
  }

  static final class Generation {
    @Option(names = "--length", defaultValue = "32", description = "Generated length (default 32).")
    int length;

    @Option(names = "--alphabet", defaultValue = "ALPHANUMERIC",
        description = "Generated alphabet: ${COMPLETION-CANDIDATES} (default ALPHANUMERIC).")
    GeneratedValue.Alphabet alphabet;
  }

  @Command(name = "create", description = "Create a secret with its version 1.")
  int create(
      @Parameters(paramLabel = "NAME", description = "The secret's name, unique per tenant.")
          String name,
      @ArgGroup(exclusive = true) ValueSource source,
      @ArgGroup(exclusive = false) Generation generation,
      @Option(names = "--description") String description,
      @Option(names = "--owner") String owner,
      @Option(names = "--category", description = "api_key, token, credential or other.")
          String category,
      @Option(names = "--tag", paramLabel = "KEY=VALUE") Map<String, String> tags,
      @Option(names = "--expires-at", paramLabel = "INSTANT",
          description = "ISO-8601, e.g. 2027-01-31T00:00:00Z.") Instant expiresAt) {
    NewSecret.Builder b = NewSecret.builder(name).description(description).owner(owner)
        .expiresAt(expiresAt);
    if (category != null) {
      b.category(SecretCategory.fromCode(category));
    }
    if (tags != null) {
      b.tags(tags);
    }
    SecretMaterial material = material(source, generation, "Value of " + name);
    try (PlatformSecretStore store = root.openStore()) {
      report(store.create(root.context(), b.value(material).build()), "Created");
    } finally {
      material.wipe();
    }
    return ExitCodes.OK;
  }

  @Command(name = "rotate", description = "Add a new version and make it active.")
  int rotate(
      @Parameters(paramLabel = "NAME") String name,
      @ArgGroup(exclusive = true) ValueSource source,
      @ArgGroup(exclusive = false) Generation generation,
      @Option(names = "--expected-version", paramLabel = "N", description = "Check-and-set:"
          + " fail with a conflict unless N is still the active version.") Integer expected) {
    Rotation.Builder b = Rotation.builder();
    if (expected != null) {
      b.expectedVersion(expected);
    }
    SecretMaterial material = material(source, generation, "New value of " + name);
    try (PlatformSecretStore store = root.openStore()) {
      report(store.rotate(root.context(), name, b.value(material).build()), "Rotated");
    } finally {
      material.wipe();
    }
    return ExitCodes.OK;
  }

  @Command(name = "get", description = "Show a secret's metadata (never its value).")
  int get(@Parameters(paramLabel = "NAME") String name) {
    try (PlatformSecretStore store = root.openStore()) {
      SecretInfo info = store.metadata(root.context(), name);
      root.out().print(info, describe(info));
    }
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "List secrets (names and metadata, never values).")
  int list(
      @Option(names = "--prefix", paramLabel = "PREFIX") String prefix,
      @Option(names = "--tag", paramLabel = "KEY[=VALUE]") String tag,
      @Option(names = "--category") String category,
      @Option(names = "--include-deleted") boolean includeDeleted) {
    SecretQuery q = SecretQuery.all().prefix(prefix).includeDeleted(includeDeleted)
        .pageSize(SecretQuery.MAX_PAGE_SIZE);
    if (tag != null) {
      int eq = tag.indexOf('=');
      q = eq < 0 ? q.tag(tag) : q.tag(tag.substring(0, eq), tag.substring(eq + 1));
    }
    if (category != null) {
      q = q.category(SecretCategory.fromCode(category));
    }
    List<SecretInfo> all = new ArrayList<>();
    try (PlatformSecretStore store = root.openStore()) {
      SecretContext ctx = root.context();
      Page<SecretInfo> page = store.list(ctx, q);
      all.addAll(page.items());
      while (page.hasNext()) {
        page = store.list(ctx, q.pageToken(page.nextPageToken()));
        all.addAll(page.items());
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (SecretInfo s : all) {
      rows.add(List.of(s.name(), String.valueOf(s.activeVersion()), s.category().code(),
          Output.cell(s.expiresAt()), s.deleted() ? "deleted" : "live"));
    }
    root.out().print(all, all.isEmpty() ? "No secrets." : Output.table(
        List.of("NAME", "ACTIVE", "CATEGORY", "EXPIRES", "STATE"), rows));
    return ExitCodes.OK;
  }

  @Command(name = "versions", description = "List a secret's versions, newest first.")
  int versions(@Parameters(paramLabel = "NAME") String name) {
    try (PlatformSecretStore store = root.openStore()) {
      List<VersionInfo> versions = store.versions(root.context(), name);
      List<List<String>> rows = new ArrayList<>();
      for (VersionInfo v : versions) {
        rows.add(List.of(String.valueOf(v.version()), v.state().name().toLowerCase(),
            Output.cell(v.createdAt()), Output.cell(v.createdBy()), Output.cell(v.destroyedAt())));
      }
      root.out().print(versions, Output.table(
          List.of("VERSION", "STATE", "CREATED", "BY", "DESTROYED"), rows));
    }
    return ExitCodes.OK;
  }

  @Command(name = "value", description = "Write a secret's value to a file (mode 600) or, with"
      + " --stdout, to standard output. The read is audited.")
  int value(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--version", paramLabel = "N") Integer version,
      @Option(names = "--out", paramLabel = "FILE", description = "Write the value here (created"
          + " owner-only; an existing file is refused).") Path out,
      @Option(names = "--stdout", description = "Write the value, without a line break, to"
          + " standard output. Deliberate: it shows the value.") boolean stdout) {
    if ((out == null) == !stdout) {
      throw new CliException(ExitCodes.USAGE, "secrets value needs exactly one of --out FILE"
          + " and --stdout", "Add --out FILE to write a file, or --stdout to print the value.");
    }
    if (stdout && root.out().json()) {
      throw new CliException(ExitCodes.USAGE, "--stdout writes the raw value; it does not mix"
          + " with --output json", "Drop --output json, or use --out FILE.");
    }
    try (PlatformSecretStore store = root.openStore();
        SecretValue v = version == null ? store.value(root.context(), name)
            : store.value(root.context(), name, version)) {
      if (stdout) {
        PrintWriter w = root.spec.commandLine().getOut();
        w.print(v.reveal());
        w.flush();
        return ExitCodes.OK;
      }
      writeOwnerOnly(out, v.revealBytes());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("name", name);
      result.put("version", v.version());
      result.put("file", out.toAbsolutePath().toString());
      root.out().print(result, "Wrote version " + v.version() + " of " + name + " to " + out
          + " (owner-only).");
    }
    return ExitCodes.OK;
  }

  @Command(name = "delete", description = "Soft-delete: no reads until 'secrets undelete'.")
  int delete(@Parameters(paramLabel = "NAME") String name) {
    try (PlatformSecretStore store = root.openStore()) {
      SecretInfo info = store.delete(root.context(), name);
      root.out().print(info, "Deleted " + name + " (undo: secret-fetch secrets undelete " + name
          + ").");
    }
    return ExitCodes.OK;
  }

  @Command(name = "undelete", description = "Undo a soft delete.")
  int undelete(@Parameters(paramLabel = "NAME") String name) {
    try (PlatformSecretStore store = root.openStore()) {
      SecretInfo info = store.undelete(root.context(), name);
      root.out().print(info, "Restored " + name + " (active version " + info.activeVersion()
          + ").");
    }
    return ExitCodes.OK;
  }

  @Command(name = "destroy", description = "Destroy one version's ciphertext for good.")
  int destroy(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--version", required = true, paramLabel = "N") int version) {
    try (PlatformSecretStore store = root.openStore()) {
      VersionInfo info = store.destroyVersion(root.context(), name, version);
      root.out().print(info, "Destroyed version " + version + " of " + name + ".");
    }
    return ExitCodes.OK;
  }

  @Command(name = "rollback", description = "Make an older version active again.")
  int rollback(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--version", required = true, paramLabel = "N") int version,
      @Option(names = "--expected-version", paramLabel = "N") Integer expected) {
    try (PlatformSecretStore store = root.openStore()) {
      SecretInfo info = store.rollback(root.context(), name, version, expected);
      root.out().print(info, "Rolled " + name + " back: version " + info.activeVersion()
          + " is active.");
    }
    return ExitCodes.OK;
  }

  private void report(WriteResult r, String verb) {
    r.generatedValue().ifPresent(SecretValue::close);   // returned once; the CLI never shows it
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", r.secret().name());
    result.put("version", r.version());
    result.put("generated", r.generatedValue().isPresent());
    result.put("secret", r.secret());
    root.out().print(result, verb + " " + r.secret().name() + " version " + r.version()
        + (r.generatedValue().isPresent() ? " with a generated value (not shown; read it with"
            + " 'secret-fetch secrets value " + r.secret().name() + " --stdout')." : "."));
  }

  /** The value to write: generated by the store, or read (and copied, then wiped here). */
  private SecretMaterial material(ValueSource source, Generation g, String prompt) {
    if (source != null && source.generate) {
      return SecretMaterial.generate(g == null ? GeneratedValue.alphanumeric(32)
          : GeneratedValue.of(g.length, g.alphabet));
    }
    char[] value = ValueInput.read(source == null ? null : source.value, root.stdin(), prompt);
    try {
      return SecretMaterial.text(CharBuffer.wrap(value));
    } finally {
      Arrays.fill(value, '\0');
    }
  }

  static String describe(SecretInfo s) {
    return Output.table(List.of("FIELD", "VALUE"), List.of(
        List.of("name", s.name()),
        List.of("tenant", Output.cell(s.tenantId())),
        List.of("active version", String.valueOf(s.activeVersion())),
        List.of("latest version", String.valueOf(s.latestVersion())),
        List.of("category", s.category().code()),
        List.of("description", Output.cell(s.description())),
        List.of("owner", Output.cell(s.owner())),
        List.of("tags", s.tags().toString()),
        List.of("expires", Output.cell(s.expiresAt())),
        List.of("created", s.createdAt() + " by " + Output.cell(s.createdBy())),
        List.of("updated", Output.cell(s.updatedAt())),
        List.of("deleted", Output.cell(s.deletedAt())),
        List.of("value", "*** (read it with 'secrets value " + s.name() + " --out FILE')")));
  }

  static void writeOwnerOnly(Path file, byte[] bytes) {
    try {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        os.write(bytes);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.USAGE, file + " exists already",
          "Give a new file name, or delete the old file first.");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, file + " cannot be written ("
          + e.getClass().getSimpleName() + ")", "Check the directory and its permissions.");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
