package io.secretfetch.api.mask;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

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

  /** The installation {@link #installOnce} made per masker (identity: maskers have no equals). */
  private static final Map<SecretMasker, Installation> ONCE = new WeakHashMap<>();
  private static boolean flushOnExit;

  private SystemStreamMasking() {}

  /**
   * Like {@link #install}, unless this masker's streams are still {@code System.out} and
   * {@code System.err}: then returns that installation, so engines that share a masker (and an
   * engine started twice) do not stack wrappers. Maskers of different installations mask in turn.
   * The first call also registers a shutdown hook that flushes both streams, so text printed
   * without a line end is not lost at exit.
   */
  public static Installation installOnce(SecretMasker masker) {
    Objects.requireNonNull(masker, "masker must not be null");
    synchronized (SystemStreamMasking.class) {
      Installation existing = ONCE.get(masker);
      if (existing != null && existing.inPlace()) {
        return existing;
      }
      Installation fresh = install(masker);
      ONCE.put(masker, fresh);
      if (!flushOnExit) {
        // The masking streams do not auto-flush; what was printed without a line end would be
        // lost when the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          System.out.flush();
          System.err.flush();
        }, "secret-fetch-flush-system-streams"));
        flushOnExit = true;
      }
      return fresh;
    }
  }

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

    private boolean inPlace() {
      return System.out == maskedOut && System.err == maskedErr;
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
