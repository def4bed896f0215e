package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import io.secretfetch.app.quickstart.Quickstart;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch quickstart}. */
@Command(name = "quickstart", description = "The main job on embedded defaults: store and"
    + " engine under .secret-fetch/ (or --data-dir), the examples/quickstart bundle blocked for"
    + " its missing secret, the secret generated, the flow calling a local HTTP endpoint with it,"
    + " the masked log. Re-running reuses the store.")
final class QuickstartCommand implements Callable<Integer> {
  @ParentCommand SecretFetchCommand root;

  @Override
  public Integer call() throws Exception {
    if (!root.storeSettings().embedded()) {
      throw new CliException(ExitCodes.USAGE, "the quickstart runs on the embedded defaults only",
          "Drop --jdbc-url (and the config file's store.jdbc-url), or use --data-dir DIR.");
    }
    boolean ok = new Quickstart(root.storeSettings().effectiveDataDir(),
        root.spec.commandLine().getOut()).run();
    return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }
}
