package io.secretfetch.platform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSecretProviderFactoryTest {
  @TempDir Path tmp;

  @Test
  void isFoundByServiceLoaderAsPlatform() {
    assertThat(ServiceLoader.load(SecretProviderFactory.class).stream()
        .map(ServiceLoader.Provider::get).map(SecretProviderFactory::type))
        .contains("platform");
  }

  @Test
  void theEmbeddedDefaultCreatesAnOwnerOnlyKeyFileAndSaysWhereButNeverTheKey() throws Exception {
    Path dir = tmp.resolve(".secret-fetch");
    String keyJson;
    try (LogCapture logs = new LogCapture();
        SecretResolver resolver = SecretResolver.builder()
            .provider(ProviderConfig.of("platform", Map.of("data-dir", dir.toString())))
            .defaultProvider("platform")
            .build()) {
      Path keyFile = dir.resolve(PlatformSecretStore.MASTER_KEY_FILE);
      assertThat(keyFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
      keyJson = Files.readString(keyFile);
      assertThat(logs.text()).contains(keyFile.toAbsolutePath().toString());
      assertThat(logs.text()).doesNotContain(keyJson.substring(keyJson.indexOf("value") + 8, keyJson.indexOf("value") + 40));
    }
    // Second run: same key, the data survives.
    try (PlatformSecretStore store = PlatformSecretStore.embedded(dir)) {
      store.create(SecretContext.forTenant("acme"), NewSecret.builder("db").value("{\"password\":\"pw-1\"}").build());
    }
    assertThat(Files.readString(dir.resolve(PlatformSecretStore.MASTER_KEY_FILE))).isEqualTo(keyJson);
    try (SecretResolver resolver = SecretResolver.builder()
        .provider(ProviderConfig.of("platform", Map.of("data-dir", dir.toString())))
        .build();
        SecretValue v = resolver.resolve("platform:db#password", SecretContext.forTenant("acme"))) {
      assertThat(v.reveal()).isEqualTo("pw-1");
    }
  }

  @Test
  void aStoreOpenedWithAnotherKeyFileFailsAtStart() throws Exception {
    Path dir = tmp.resolve("data");
    try (PlatformSecretStore store = PlatformSecretStore.embedded(dir)) {
      store.create(SecretContext.system(), NewSecret.builder("x").value("y").build());
    }
    Path otherKey = tmp.resolve("other-key.json");
    MasterKey.generate().writeTo(otherKey);
    SecretException e = catchThrowableOfType(SecretException.class, () -> new PlatformSecretProviderFactory()
        .create(ProviderConfig.of("platform", Map.of("data-dir", dir.toString(),
            "master-key-file", otherKey.toString())), null));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("master key does not match this store");
  }

  @Test
  void configurationMistakesAreNamed() {
    PlatformSecretProviderFactory f = new PlatformSecretProviderFactory();
    assertThat(catchThrowableOfType(SecretException.class, () -> f.create(ProviderConfig.of("platform",
        Map.of("jdbc-url", "jdbc:h2:mem:x")), null)).getMessage())
        .contains("'jdbc-url' but no master key");
    assertThat(catchThrowableOfType(SecretException.class, () -> f.create(ProviderConfig.of("platform",
        Map.of("mode", "remote")), null)).getMessage()).contains("needs the setting 'url'");
    assertThat(catchThrowableOfType(SecretException.class, () -> f.create(ProviderConfig.of("platform",
        Map.of("master-key-env", "SECRET_FETCH_TEST_UNSET_VARIABLE")), null)).getMessage())
        .contains("SECRET_FETCH_TEST_UNSET_VARIABLE is not set");
  }
}
