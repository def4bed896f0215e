package io.secretfetch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on every command, with the exit codes the README documents. */
class HelpTest {

  static List<CommandLine> all(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>(List.of(cl));
    cl.getSubcommands().values().forEach(sub -> out.addAll(all(sub)));
    return out;
  }

  @Test
  void everyCommandHasHelpWithTheExitCodes() {
    List<CommandLine> commands = all(SecretFetchCommand.commandLine());
    assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName()).contains(
        "secret-fetch secrets create", "secret-fetch secrets value", "secret-fetch keys reencrypt",
        "secret-fetch apikeys revoke", "secret-fetch tokens issue", "secret-fetch audit verify",
        "secret-fetch bundles import", "secret-fetch bindings apply", "secret-fetch serve",
        "secret-fetch quickstart");
    for (CommandLine c : commands) {
      String name = c.getCommandSpec().qualifiedName();
      String[] args = (name.replaceFirst("^secret-fetch ?", "") + " --help").trim().split(" ");
      Cli.Run r = new Cli().run(args);
      assertThat(r.code()).as(name).isZero();
      assertThat(r.out()).as(name).startsWith("Usage: " + name).contains("Exit codes:")
          .contains("10   configuration error");
    }
  }

  @Test
  void theReadmeTableListsTheSameExitCodes() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (String entry : SecretFetchCommand.class.getAnnotation(CommandLine.Command.class)
        .exitCodeList()) {
      int colon = entry.indexOf(':');
      assertThat(readme).contains("| " + entry.substring(0, colon) + " | "
          + entry.substring(colon + 1) + " |");
    }
  }
}
