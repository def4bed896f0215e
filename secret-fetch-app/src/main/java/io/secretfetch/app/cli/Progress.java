package io.secretfetch.app.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr ({@code \r}-redrawn), so stdout stays clean for results and
 * JSON. Off unless stderr is a terminal or {@code --progress} forces it.
 */
public final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean on;
  private final String label;
  private boolean drawn;

  Progress(PrintWriter err, boolean on, String label) {
    this.err = err;
    this.on = on;
    this.label = label;
  }

  /** Redraws the bar at {@code done} of {@code total} (total 0: nothing to do). */
  public void update(long done, long total) {
    if (!on) {
      return;
    }
    int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
        + done + "/" + total + " (" + percent + "%)");
    err.flush();
    drawn = true;
  }

  /** Ends the bar's line; idempotent, so results can follow on a clean line. */
  @Override
  public void close() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
