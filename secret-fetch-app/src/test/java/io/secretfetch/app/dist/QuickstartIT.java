package io.secretfetch.app.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, exactly as it says: after {@code package}, {@code java -jar
 * secret-fetch-app/target/secret-fetch.jar quickstart} in a fresh working directory, twice; and
 * the launcher script. Runs in {@code verify} (failsafe), on the packaged jar with its lib/.
 */
class QuickstartIT {
  static final Path JAR = Path.of("target", "secret-fetch.jar").toAbsolutePath();
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @TempDir Path work;

  record Result(int code, String out, String err) {}

  Result run(List<String> command) throws IOException, InterruptedException {
    Path out = work.resolve("stdout-" + System.nanoTime());
    Path err = work.resolve("stderr-" + System.nanoTime());
    Process p = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  Result secretFetch(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  @Test
  void theQuickstartRunsFromThePackagedJarAndAgain() throws Exception {
    Result first = secretFetch("quickstart");
    assertThat(first.code()).as("exit code; stderr: %s", first.err()).isZero();
    assertThat(first.out())
        .contains("Secret store: " + work.resolve(".secret-fetch").toRealPath() + " (created")
        .contains("Blocked, as expected")
        .contains("[NOT_FOUND] slot 'api-key' (used by fetchApiKey, ref platform:api-key)")
        .contains("Bound slot 'api-key': generated")
        .contains("which answered 200 (the key matched)")
        .contains("Authorization=[Bearer ***]")
        .contains("Quickstart succeeded.")
        .contains("Try next");
    assertThat(first.out().indexOf("Blocked")).isLessThan(first.out().indexOf("succeeded"));

    Result second = secretFetch("quickstart");
    assertThat(second.code()).as("exit code; stderr: %s", second.err()).isZero();
    assertThat(second.out()).contains("(reused").contains("Not blocked")
        .contains("Authorization=[Bearer ***]").contains("Quickstart succeeded.");

    Result list = secretFetch("secrets", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("api-key");

    try (PlatformSecretStore store = PlatformSecretStore.embedded(work.resolve(".secret-fetch"));
        SecretValue key = store.value(SecretContext.system(), "api-key")) {
      for (Result r : List.of(first, second, list)) {
        assertThat(r.out() + r.err()).doesNotContain(key.reveal());
      }
    }
  }

  @Test
  void theLauncherScriptRunsTheJar() throws Exception {
    Path script = Path.of("bin", "secret-fetch").toAbsolutePath();
    Result help = run(List.of("sh", script.toString(), "secrets", "create", "--help"));
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: secret-fetch secrets create").contains("--generate")
        .contains("Exit codes:");
    Result version = run(List.of("sh", script.toString(), "--version"));
    assertThat(version.out()).startsWith("secret-fetch 0.1.0-SNAPSHOT");
  }
}
