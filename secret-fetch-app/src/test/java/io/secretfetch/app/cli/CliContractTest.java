package io.secretfetch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretfetch.app.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every store command end to end against a real store, through picocli as the executable runs
 * it. Subclasses choose the store: H2 (embedded default) or PostgreSQL.
 */
abstract class CliContractTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Cli cli;
  final String v1 = "v1-" + UUID.randomUUID();
  final String v2 = "v2-" + UUID.randomUUID();

  /** The store options for {@code dir}. */
  abstract String[] storeArgs(Path dir) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(storeArgs(dir));
  }

  Cli.Run ok(Cli.Run r) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    return r;
  }

  @Test
  void secretLifecycleFromStdinAndFileWithoutEverPrintingAValue() throws Exception {
    assertThat(ok(cli.runWithInput(v1 + "\n", "secrets", "create", "app/db", "--category",
        "credential", "--tag", "env=test")).out()).contains("Created app/db version 1.");
    Path file = dir.resolve("v2.txt");
    Files.writeString(file, v2);
    assertThat(ok(cli.run("secrets", "rotate", "app/db", "--value", "@" + file,
        "--expected-version", "1")).out()).contains("Rotated app/db version 2.");

    assertThat(ok(cli.run("secrets", "get", "app/db")).out())
        .contains("active version", "2", "credential", "{env=test}", "***");
    JsonNode versions = JSON.readTree(ok(cli.run("secrets", "versions", "app/db", "-o", "json"))
        .out());
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
    assertThat(versions.get(0).get("state").asText()).isEqualTo("ACTIVE");

    Path out = dir.resolve("value.txt");
    ok(cli.run("secrets", "value", "app/db", "--version", "1", "--out", out.toString()));
    assertThat(Files.readString(out)).isEqualTo(v1);

    ok(cli.run("secrets", "rollback", "app/db", "--version", "1"));
    ok(cli.run("secrets", "destroy", "app/db", "--version", "2"));
    assertThat(ok(cli.run("secrets", "versions", "app/db")).out()).contains("destroyed");
    ok(cli.run("secrets", "delete", "app/db"));
    Cli.Run gone = cli.run("secrets", "value", "app/db", "--out", dir.resolve("x").toString());
    assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(gone.err()).contains("error: [DELETED]").contains("next: ");
    assertThat(ok(cli.run("secrets", "list", "--include-deleted")).out())
        .contains("app/db").contains("deleted");
    ok(cli.run("secrets", "undelete", "app/db"));

    String transcript = cli.transcript.toString();
    assertThat(transcript).doesNotContain(v1).doesNotContain(v2);

    // The one deliberate way to print a value.
    assertThat(ok(cli.run("secrets", "value", "app/db", "--stdout")).out()).isEqualTo(v1);
  }

  @Test
  void generatedValuesAreStoredButNeverShown() throws Exception {
    Cli.Run r = ok(cli.run("secrets", "create", "gen", "--generate", "--length", "24",
        "--alphabet", "HEX", "-o", "json"));
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("generated").asBoolean()).isTrue();
    assertThat(json.get("version").asInt()).isEqualTo(1);
    Path out = dir.resolve("gen.txt");
    ok(cli.run("secrets", "value", "gen", "--out", out.toString()));
    String value = Files.readString(out);
    assertThat(value).matches("[0-9a-f]{24}");
    ok(cli.run("secrets", "rotate", "gen", "--generate"));
    assertThat(cli.transcript.toString()).doesNotContain(value);
  }

  @Test
  void errorsHaveExitCodesAndSayWhatToDoNext() {
    Cli.Run missing = cli.run("secrets", "get", "nope");
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("error: [NOT_FOUND]").contains("next: Create the secret");

    ok(cli.runWithInput(v1, "secrets", "create", "dup"));
    Cli.Run dup = cli.runWithInput(v1, "secrets", "create", "dup");
    assertThat(dup.code()).isEqualTo(ExitCodes.CONFLICT);
    Cli.Run cas = cli.runWithInput(v2, "secrets", "rotate", "dup", "--expected-version", "7");
    assertThat(cas.code()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(cas.err()).contains("next: ");

    Cli.Run literal = cli.run("secrets", "create", "lit", "--value", v2);
    assertThat(literal.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(literal.err()).contains("never from the argument itself").contains("next: ")
        .doesNotContain(v2);

    Cli.Run unknown = cli.run("secrets", "create", "x", "--colour", "red");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Unknown option").contains("--help");

    Cli.Run empty = cli.runWithInput("\n", "secrets", "create", "empty");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("standard input is empty");

    Cli.Run both = cli.run("secrets", "value", "dup");
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--out FILE").contains("--stdout");
  }

  @Test
  void keysRotateAndReencryptWithAProgressBarOnStderrAndValuesStillRead() throws Exception {
    ok(cli.runWithInput(v1, "secrets", "create", "a"));
    ok(cli.runWithInput(v2, "secrets", "create", "b"));
    assertThat(ok(cli.run("keys", "rotate-tenant")).out()).contains("new primary key");
    Cli.Run re = ok(cli.run("keys", "reencrypt", "--batch-size", "1", "--progress"));
    assertThat(re.out()).contains("Re-encrypted 2 version(s); retired 1 key(s).");
    assertThat(re.err()).contains("Re-encrypting versions [###").contains("2/2 (100%)");

    Cli.Run master = ok(cli.run("keys", "rotate-master", "--progress", "-o", "json"));
    JsonNode rotation = JSON.readTree(master.out()).get("rotation");
    assertThat(rotation.get("tenantsRewrapped").asInt()).isPositive();
    assertThat(master.err()).contains("Re-wrapping tenant keysets [");

    Path out = dir.resolve("a.txt");
    ok(cli.run("secrets", "value", "a", "--out", out.toString()));
    assertThat(Files.readString(out)).isEqualTo(v1);
    assertThat(cli.transcript.toString()).doesNotContain(v1).doesNotContain(v2);
  }

  @Test
  void bundlesAndBindingsFromExportToImport() throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("quickstart"));
    Files.copy(Path.of("..", "examples", "quickstart", "quickstart.bpmn"),
        bundle.resolve("quickstart.bpmn"));
    Path config = dir.resolve("engine.yaml");
    Files.writeString(config, "engine: {jdbc-url: \"jdbc:h2:mem:sf-cli-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1\"}\n");
    String b = bundle.toString();
    String c = config.toString();

    assertThat(ok(cli.run("bundles", "export", b)).out()).contains("with 1 slot(s)")
        .contains("api-key");
    assertThat(bundle.resolve("secret-manifest.json")).content().contains("\"slot\": \"api-key\"");

    Cli.Run invalid = cli.run("bundles", "validate", b, "--config", c, "--progress");
    assertThat(invalid.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(invalid.out()).contains("Not valid").contains("[NOT_FOUND] slot 'api-key'");
    assertThat(invalid.err()).contains("Validating " + b + " [").contains("3/3 (100%)");
    Cli.Run blocked = cli.run("bundles", "import", b, "--config", c);
    assertThat(blocked.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(blocked.out()).contains("Import BLOCKED; nothing was deployed")
        .contains("bindings apply " + b + " @profile.json");

    Path template = dir.resolve("profile.json");
    ok(cli.run("bindings", "template", b, "--out", template.toString()));
    assertThat(template).content().contains("api-key").contains("<fill in>");
    Cli.Run literal = cli.run("bindings", "apply", b, v1);
    assertThat(literal.code()).isEqualTo(ExitCodes.USAGE);
    Files.writeString(template, "{\"bindings\": {\"api-key\": {\"secret\": \"" + v1 + "\"}}}");
    assertThat(ok(cli.run("bindings", "apply", b, "@" + template)).out())
        .contains("Created api-key version 1 for slot 'api-key'")
        .contains("Next: secret-fetch bundles import");
    assertThat(ok(cli.run("bindings", "show", b)).out()).contains("api-key").contains("bound");
    ok(cli.run("bundles", "validate", b, "--config", c));
    assertThat(ok(cli.run("bundles", "import", b, "--config", c)).out())
        .contains("Imported as deployment");
    assertThat(cli.run("bundles", "revalidate", "no-such-deployment", "--config", c).code())
        .isEqualTo(ExitCodes.NOT_FOUND);

    assertThat(cli.transcript.toString()).doesNotContain(v1);
  }

  @Test
  void apiKeysTokensAndAudit() throws Exception {
    Cli.Run created = ok(cli.run("apikeys", "create", "--subject", "ci-bot", "--scope",
        "secrets:read,secrets:manage", "-o", "json"));
    JsonNode key = JSON.readTree(created.out());
    String keyId = key.get("info").get("keyId").asText();
    assertThat(key.get("key").asText()).startsWith("sfk_" + keyId + "_");
    assertThat(ok(cli.run("apikeys", "list")).out()).contains(keyId).contains("ci-bot")
        .contains("active").doesNotContain(key.get("key").asText());
    ok(cli.run("apikeys", "revoke", keyId));
    assertThat(ok(cli.run("apikeys", "list")).out()).contains("revoked");
    assertThat(cli.run("apikeys", "revoke", "0000000000000000").code())
        .isEqualTo(ExitCodes.NOT_FOUND);

    Path worker = dir.resolve("worker.jwk");
    ok(cli.run("tokens", "worker-key", "--key-id", "w1", "--out", worker.toString()));
    assertThat(Files.readString(Path.of(worker + ".pub"))).contains("\"kid\":\"w1\"")
        .doesNotContain("\"d\":");
    String token = ok(cli.run("tokens", "issue", "--worker-key-file", worker.toString(),
        "--audience", "https://127.0.0.1:8443")).out().trim();
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(cli.run("tokens", "issue", "--worker-key-file", worker + ".pub",
        "--audience", "x").code()).isEqualTo(ExitCodes.USAGE);

    ok(cli.runWithInput(v1, "secrets", "create", "audited"));
    ok(cli.run("secrets", "value", "audited", "--out", dir.resolve("o").toString()));
    JsonNode events = JSON.readTree(ok(cli.run("audit", "query", "--secret", "audited",
        "-o", "json")).out());
    assertThat(events).extracting(e -> e.get("action").asText())
        .contains("CREATE", "READ_VALUE");
    assertThat(ok(cli.run("audit", "verify")).out()).contains("Audit chain intact");
    assertThat(cli.transcript.toString()).doesNotContain(v1);
  }
}
