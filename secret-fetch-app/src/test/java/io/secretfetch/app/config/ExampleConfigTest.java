package io.secretfetch.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretValue;
import io.secretfetch.app.serve.SecretFetchServer;
import io.secretfetch.app.webhook.HmacSha256Auth;
import io.secretfetch.app.webhook.Trigger;
import io.secretfetch.platform.store.GeneratedValue;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed example configuration is valid and means what its comments say. */
class ExampleConfigTest {
  @Test
  void theExampleLoadsWithItsTriggers() {
    AppConfig c = ConfigLoader.load(Path.of("secret-fetch.example.yaml"));
    assertThat(c.storeSettings().embedded()).isTrue();
    assertThat(c.storeSettings().effectiveDataDir().getFileName()).hasToString(".secret-fetch");
    assertThat(c.engine().deploy()).containsExactly("examples/quickstart");
    assertThat(c.server().port()).isEqualTo(8443);
    List<Trigger> triggers = Trigger.fromConfig(c.triggers());
    assertThat(triggers).extracting(Trigger::name)
        .containsExactly("quickstart-key", "quickstart-signed", "quickstart-basic");
    assertThat(triggers.get(1).auth()).isInstanceOfSatisfying(HmacSha256Auth.class,
        h -> assertThat(h.tolerance()).isEqualTo(Duration.ofMinutes(5)));
    assertThat(triggers).allSatisfy(t -> assertThat(t.secretRef()).hasToString("api-key"));
    assertThat(triggers.get(1).slot()).isEqualTo("api-key");
  }

  @Test
  void serveStartsWithTheExampleOnceTheQuickstartsSlotIsBound(@TempDir Path dir) {
    AppConfig ex = ConfigLoader.load(Path.of("secret-fetch.example.yaml"));
    // The example as run from the repository root, with a private data directory and port.
    AppConfig c = new AppConfig(new AppConfig.Store(dir.toString(), null, null, null, null, null),
        ex.tenant(), ex.providers(), ex.defaultProvider(),
        new AppConfig.Engine("jdbc:h2:mem:sf-example;DB_CLOSE_DELAY=-1", null, null,
            ex.engine().jobExecutor(), List.of("../" + ex.engine().deploy().get(0))),
        new AppConfig.Server(ex.server().host(), 0, null, null, null, List.of()),
        ex.triggers());
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings()))
        .hasMessageContaining("[NOT_FOUND] slot 'api-key'");
    try (PlatformSecretStore store = c.storeSettings().open()) {
      store.create(SecretContext.system(), NewSecret.builder("api-key")
          .generate(GeneratedValue.alphanumeric(32)).build()).generatedValue()
          .ifPresent(SecretValue::close);
    }
    try (SecretFetchServer server = SecretFetchServer.start(c, c.storeSettings())) {
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void noFileMeansTheEmbeddedDefaults() {
    AppConfig c = AppConfig.defaults();
    assertThat(c.defaultProvider()).isEqualTo("platform");
    assertThat(c.engine().jobExecutor()).isTrue();
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.triggers()).isEmpty();
  }
}
