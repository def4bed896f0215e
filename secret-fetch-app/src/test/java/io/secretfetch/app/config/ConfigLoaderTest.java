package io.secretfetch.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes in the YAML configuration name the file, the line and the setting, never a value. */
class ConfigLoaderTest {
  static final String CANARY = "CANARY-not-a-setting-value-7f3a";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // YAML text (\n for line breaks) | line | setting
      "server:\\n  port: 8443\\n  host: 127.0.0.1\\n  port: 9443|4|server.port",
      "tenant: acme\\ntenant: CANARY|2|tenant",
      "triggers:\\n  order:\\n    process: p\\n    auth: {type: api-key, secret-ref: CANARY,"
          + " secret-ref: x}|4|triggers.order.auth.secret-ref",
      "triggers:\\n  order:\\n    process: p\\n  order:\\n    process: CANARY|4|triggers.order",
      "server:\\n  trusted-workers:\\n    - jwk-file: a\\n      jwk-file: CANARY|4"
          + "|server.trusted-workers[0].jwk-file"})
  void aSettingGivenTwiceIsRefusedNamingFileLineAndSetting(String yaml, int line, String setting,
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret-fetch.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n").replace("CANARY", CANARY));
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.detail()).isEqualTo(file + " line " + line + ": the setting '" + setting
              + "' is given twice");
          assertThat(e.remedy()).contains("Keep one");
          assertThat(e.getMessage()).doesNotContain(CANARY);
        });
  }

  @Test
  void theSameKeyInDifferentSectionsIsFine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret-fetch.yaml");
    Files.writeString(file, "store:\n  jdbc-user: a\nengine:\n  jdbc-user: b\n");
    AppConfig c = ConfigLoader.load(file);
    assertThat(c.engine().jdbcUser()).isEqualTo("b");
  }
}
