package io.secretfetch.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretProviderTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  private FileSecretProvider provider(Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("root", root.toString());
    return new FileSecretProvider(
        "file", FileOptions.fromConfig(ProviderConfig.of("file", settings)), Clock.systemUTC());
  }

  private FileSecretProvider provider() {
    return provider(Map.of());
  }

  private static String read(FileSecretProvider p, String name) {
    try (SecretValue v = p.fetch(SecretRef.of("file", name), SecretContext.system())) {
      return v.reveal();
    }
  }

  private static SecretException failure(FileSecretProvider p, String name) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
        SecretException.class, () -> p.fetch(SecretRef.of("file", name), SecretContext.system()));
  }

  @Test
  void readsAFlatDockerSecretsDirectory() throws Exception {
    Mounts.write(root, "db_password", "s3cret-docker");
    Mounts.write(root, "api_key", "k3y-docker");
    try (FileSecretProvider p = provider()) {
      assertThat(read(p, "db_password")).isEqualTo("s3cret-docker");
      assertThat(read(p, "api_key")).isEqualTo("k3y-docker");
      assertThat(p.list("", SecretContext.system()))
          .extracting(SecretSummary::name)
          .containsExactly("api_key", "db_password");
    }
  }

  @Test
  void followsAKubernetesDataSwapWithoutAStaleValue() throws Exception {
    var volume = new Mounts.KubeVolume(root, Map.of("password", "gen-one", "user", "app"));
    try (FileSecretProvider p = provider()) {
      SecretValue first = p.fetch(SecretRef.of("file", "password"), SecretContext.system());
      assertThat(first.reveal()).isEqualTo("gen-one");

      volume.swap(Map.of("password", "gen-two", "user", "app"));

      try (SecretValue second = p.fetch(SecretRef.of("file", "password"), SecretContext.system())) {
        assertThat(second.reveal()).isEqualTo("gen-two");
        assertThat(second.version()).isNotEqualTo(first.version());
      }
      // The kubelet's internals are neither listed nor readable by name.
      assertThat(p.list("", SecretContext.system()))
          .extracting(SecretSummary::name)
          .containsExactly("password", "user");
      assertThat(failure(p, "..data/password").error()).isEqualTo(SecretError.INVALID_REFERENCE);
      first.close();
    }
  }

  @Test
  void reReadsAFileRewrittenInPlaceEvenWithTheSameSizeAndTime() throws Exception {
    Path file = Mounts.write(root, "token", "aaaa");
    FileTime mtime = Files.getLastModifiedTime(file);
    try (FileSecretProvider p = provider()) {
      assertThat(read(p, "token")).isEqualTo("aaaa");
      Files.writeString(file, "bbbb");
      Files.setLastModifiedTime(file, mtime);
      assertThat(read(p, "token")).isEqualTo("bbbb");
    }
  }

  @Test
  void refusesASymlinkOutOfTheRootNamingTheFileAndNotTheValue() throws Exception {
    Path target = Mounts.write(elsewhere, "host-secret", "outside-value");
    Files.createSymbolicLink(root.resolve("escape"), target);
    try (FileSecretProvider p = provider()) {
      SecretException e = failure(p, "escape");
      assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
      assertThat(e.getMessage())
          .contains(root.resolve("escape").toString())
          .contains("outside")
          .doesNotContain("outside-value");
      assertThat(p.check(List.of(SecretRef.of("file", "escape")), SecretContext.system())
              .values().iterator().next().error())
          .isEqualTo(SecretError.ACCESS_DENIED);
    }
  }

  @Test
  void refusesAWorldReadableFileWithTheChmodFix() throws Exception {
    Path file = Mounts.write(root, "db", "open-value", "rw-r--r--");
    try (FileSecretProvider p = provider()) {
      SecretException e = failure(p, "db");
      assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
      assertThat(e.getMessage())
          .contains(file.toString())
          .contains("chmod 600 " + file.toRealPath())
          .contains("defaultMode: 0400")
          .doesNotContain("open-value");
    }
  }

  @Test
  void refusesNamesThatClimbOrAreAbsolute() throws Exception {
    Mounts.write(elsewhere, "x", "never");
    try (FileSecretProvider p = provider()) {
      for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", ".hidden")) {
        assertThat(failure(p, bad).error()).as(bad).isEqualTo(SecretError.INVALID_REFERENCE);
      }
    }
  }

  @Test
  void readsNestedNamesAsRelativePaths() throws Exception {
    Mounts.write(root, "vault-agent/db/creds", "nested");
    try (FileSecretProvider p = provider()) {
      assertThat(read(p, "vault-agent/db/creds")).isEqualTo("nested");
      assertThat(p.list("vault-agent/", SecretContext.system()))
          .extracting(SecretSummary::name)
          .containsExactly("vault-agent/db/creds");
    }
  }

  @Test
  void aPinnedVersionReadsWhileTheContentMatchesAndIsVersionNotFoundAfter() throws Exception {
    Path file = Mounts.write(root, "pin", "one");
    try (FileSecretProvider p = provider()) {
      String v1;
      try (SecretValue v = p.fetch(SecretRef.of("file", "pin"), SecretContext.system())) {
        v1 = v.version();
      }
      assertThat(v1).hasSize(16).matches("[0-9a-f]+");
      SecretRef pinned = SecretRef.of("file", "pin").withVersion(v1);
      try (SecretValue v = p.fetch(pinned, SecretContext.system())) {
        assertThat(v.reveal()).isEqualTo("one");
      }
      Files.writeString(file, "two");
      SecretException e =
          catchSecret(() -> p.fetch(pinned, SecretContext.system()));
      assertThat(e.error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
      assertThat(e.getMessage()).contains(v1).doesNotContain("two");
    }
  }

  @Test
  void tenantDirectoriesKeepTenantsApart() throws Exception {
    Mounts.write(root, "acme/db", "acme-value");
    Mounts.write(root, "globex/db", "globex-value");
    Mounts.write(root, "default/db", "default-value");
    try (FileSecretProvider p = provider(Map.of("tenant-directories", "true"))) {
      SecretRef db = SecretRef.of("file", "db");
      try (SecretValue acme = p.fetch(db, SecretContext.forTenant("acme"));
          SecretValue globex = p.fetch(db, SecretContext.forTenant("globex"));
          SecretValue dflt = p.fetch(db, SecretContext.system())) {
        assertThat(acme.reveal()).isEqualTo("acme-value");
        assertThat(globex.reveal()).isEqualTo("globex-value");
        assertThat(dflt.reveal()).isEqualTo("default-value");
      }
      assertThat(catchSecret(() -> p.fetch(db, SecretContext.forTenant("initech"))).error())
          .isEqualTo(SecretError.NOT_FOUND);
      // A tenant cannot climb into a neighbour's directory.
      assertThat(catchSecret(() -> p.fetch(SecretRef.of("file", "../globex/db"),
              SecretContext.forTenant("acme"))).error())
          .isEqualTo(SecretError.INVALID_REFERENCE);
      SecretException climbingTenant =
          catchSecret(() -> p.fetch(db, SecretContext.forTenant("../globex")));
      assertThat(climbingTenant.error()).isEqualTo(SecretError.ACCESS_DENIED);
      assertThat(climbingTenant.ref()).isEqualTo(db);
      assertThat(p.list("", SecretContext.forTenant("acme")))
          .extracting(SecretSummary::name)
          .containsExactly("db");
    }
  }

  @Test
  void theResolverSelectsAJsonFieldFromAFile() throws Exception {
    Mounts.write(root, "db.json", "{\"user\":\"app\",\"password\":\"json-pw\"}");
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(new ProviderConfig("file", "file", Map.of("root", root.toString())))
            .build()) {
      try (SecretValue pw = resolver.resolve("file:db.json#password", SecretContext.system())) {
        assertThat(pw.reveal()).isEqualTo("json-pw");
      }
    }
  }

  @Test
  void checkDoesNotNeedToReadAndReportsEachRef() throws Exception {
    Mounts.write(root, "ok", "value");
    Mounts.write(root, "locked", "value", "-w-------");
    try (FileSecretProvider p = provider()) {
      var results =
          p.check(
              List.of(SecretRef.of("file", "ok"), SecretRef.of("file", "locked"),
                  SecretRef.of("file", "gone")),
              SecretContext.system());
      // check looks at the file, not its content: an owner-only file the engine cannot read is ok
      // here and fails on fetch (unless the tests run as root, who reads anything).
      assertThat(results.get(SecretRef.of("file", "ok")).isOk()).isTrue();
      assertThat(results.get(SecretRef.of("file", "locked")).isOk()).isTrue();
      assertThat(results.get(SecretRef.of("file", "gone")).error())
          .isEqualTo(SecretError.NOT_FOUND);
    }
  }

  @Test
  void settingsAreCheckedWithTheKeyAndTheFix() {
    assertThat(configError(Map.of())).contains("'root'");
    assertThat(configError(Map.of("root", root.resolve("absent").toString())))
        .contains("not a directory");
    assertThat(configError(Map.of("root", root.toString(), "tenant-directory", "true")))
        .contains("unknown settings [tenant-directory]")
        .contains("tenant-directories");
    assertThat(configError(Map.of("root", root.toString(), "max-size", "big")))
        .contains("'max-size'");
  }

  @Test
  void toStringAndFactoryTypeNameNoValues() throws Exception {
    Mounts.write(root, "x", "hidden-value");
    try (FileSecretProvider p = provider()) {
      read(p, "x");
      assertThat(p.toString()).contains("file").doesNotContain("hidden-value");
    }
    assertThat(new FileSecretProviderFactory().type()).isEqualTo("file");
  }

  private String configError(Map<String, String> settings) {
    SecretException e =
        catchSecret(() -> FileOptions.fromConfig(ProviderConfig.of("file", settings)));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    return e.getMessage();
  }

  private static SecretException catchSecret(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(SecretException.class, c);
  }
}
