package io.secretfetch.app.cli;

/**
 * A failure the CLI reports as {@code error: <message>} and {@code next: <what to do>} with an exit
 * code from {@link io.secretfetch.app.ExitCodes}. Messages never contain a secret value.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String next;

  public CliException(int exitCode, String message, String next) {
    super(message);
    this.exitCode = exitCode;
    this.next = next;
  }

  public int exitCode() {
    return exitCode;
  }

  /** What the user should do next. */
  public String next() {
    return next;
  }
}
