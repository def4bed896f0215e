package io.secretfetch.api.mask;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Masks {@code System.out} and {@code System.err} for an application: {@link #install} replaces both
 * with masking streams over the originals and returns a handle that puts the originals back.
 *
 * <pre>{@code
 * try (SystemStreamMasking.Installation ignored = SystemStreamMasking.install(masker)) {
 *   runApplication();
 * }
 * }</pre>
 *
 * <p>The replacement streams forward each line as it ends, and on {@code flush()}; text without a
 * line end waits only for as long as it could still be the start of a secret.
 */
public final class SystemStreamMasking {

  private SystemStreamMasking() {}

  /** Replaces {@code System.out} and {@code System.err} with masking wrappers around them. */
  public static Installation install(SecretMasker masker) {
    Objects.requireNonNull(masker, "masker must not be null");
    synchronized (SystemStreamMasking.class) {
      PrintStream out = System.out;
      PrintStream err = System.err;
      PrintStream maskedOut = wrap(out, consoleCharset(), masker);
      PrintStream maskedErr = wrap(err, consoleCharset(), masker);
      System.setOut(maskedOut);
      System.setErr(maskedErr);
      return new Installation(out, err, maskedOut, maskedErr);
    }
  }

  /**
   * A print stream that masks everything printed to it and forwards it to {@code target}, encoded
   * in {@code charset}. It does not auto-flush on every write (that would forward half-written
   * secrets); lines are forwarded as they end.
   */
  public static PrintStream wrap(PrintStream target, Charset charset, SecretMasker masker) {
    Objects.requireNonNull(target, "target must not be null");
    Objects.requireNonNull(charset, "charset must not be null");
    Objects.requireNonNull(masker, "masker must not be null");
    return new PrintStream(masker.maskingStream(target, charset), false, charset);
  }

  /** The charset the JVM writes the console streams in. */
  static Charset consoleCharset() {
    for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }

  /** Installed masking streams; {@link #close()} restores the originals if ours are still in place. */
  public static final class Installation implements AutoCloseable {
    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final PrintStream maskedOut;
    private final PrintStream maskedErr;

    private Installation(PrintStream originalOut, PrintStream originalErr, PrintStream maskedOut,
        PrintStream maskedErr) {
      this.originalOut = originalOut;
      this.originalErr = originalErr;
      this.maskedOut = maskedOut;
      this.maskedErr = maskedErr;
    }

    /** Flushes the masking streams and restores the originals. Does not close anything. */
    @Override
    public void close() {
      synchronized (SystemStreamMasking.class) {
        maskedOut.flush();
        maskedErr.flush();
        if (System.out == maskedOut) {
          System.setOut(originalOut);
        }
        if (System.err == maskedErr) {
          System.setErr(originalErr);
        }
      }
    }
  }
}
