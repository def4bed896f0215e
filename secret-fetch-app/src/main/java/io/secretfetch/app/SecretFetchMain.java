package io.secretfetch.app;

import io.secretfetch.app.cli.SecretFetchCommand;

/** The {@code secret-fetch} executable. */
public final class SecretFetchMain {
  private SecretFetchMain() {}

  public static void main(String[] args) {
    int code = SecretFetchCommand.commandLine().execute(args);
    if (code != ExitCodes.KEEP_RUNNING) {
      System.exit(code);
    }
  }
}
