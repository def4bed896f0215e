package io.secretfetch.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.app.webhook.HmacSha256Auth;
import io.secretfetch.app.webhook.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    assertThat(triggers.get(2).secretRef()).hasToString("webhook-basic-password");
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
