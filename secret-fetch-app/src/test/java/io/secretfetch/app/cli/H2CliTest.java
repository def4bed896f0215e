package io.secretfetch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.app.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CLI on the embedded default: H2 file and master key file in a data directory. */
class H2CliTest extends CliContractTest {
  @Override
  String[] storeArgs(Path dir) {
    return new String[] {"--data-dir", dir.resolve("data").toString()};
  }

  @Test
  void theDataDirectoryIsCreatedWithTheStoreAndMasterKey() {
    ok(cli.runWithInput(v1, "secrets", "create", "x"));
    assertThat(dir.resolve("data/master-key.json")).exists();
    assertThat(dir.resolve("data/store.mv.db")).exists();
  }

  @Test
  void theConfigFileNamesTheStoreAndItsMistakesNameLineAndSetting() throws Exception {
    Path config = dir.resolve("sf.yaml");
    Files.writeString(config, "store:\n  data-dir: " + dir.resolve("from-config") + "\n");
    Cli fromConfig = new Cli("--config", config.toString());
    ok(fromConfig.runWithInput(v1, "secrets", "create", "x"));
    assertThat(dir.resolve("from-config/store.mv.db")).exists();

    Files.writeString(config, "store:\n  dta-dir: x\n");
    Cli.Run bad = fromConfig.run("secrets", "list");
    assertThat(bad.code()).isEqualTo(ExitCodes.CONFIGURATION);
    assertThat(bad.err()).contains("sf.yaml line ").contains("unknown setting 'dta-dir'")
        .contains("next: Use one of: ").contains("data-dir");
  }

  @Test
  void aDatabaseStoreWithoutMasterKeyIsAConfigurationError() {
    Cli.Run r = new Cli().run("secrets", "list", "--jdbc-url", "jdbc:h2:mem:nokey");
    assertThat(r.code()).isEqualTo(ExitCodes.CONFIGURATION);
    assertThat(r.err()).contains("has no master key").contains("next: Give --master-key-file");
  }
}
