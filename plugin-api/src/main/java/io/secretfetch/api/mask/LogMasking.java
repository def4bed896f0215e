package io.secretfetch.api.mask;

import io.secretfetch.api.mask.logback.LogbackMasking;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masks everything the application logs, whatever back end SLF4J is bound to: Logback through
 * {@link LogbackMasking} (every appender, kept across reconfiguration) and {@code java.util.logging}
 * through {@link JulMasking} (used directly by some libraries, and SLF4J's back end with
 * slf4j-jdk14). For any other back end (Log4j 2, slf4j-simple, ...) it logs one warning that names
 * the back end, what stays unmasked and how to mask it.
 */
public final class LogMasking {

  private static final Logger LOG = LoggerFactory.getLogger(LogMasking.class);
  static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";
  static final String JUL = "org.slf4j.jul.JDK14LoggerFactory";
  static final String SIMPLE = "org.slf4j.simple.SimpleLoggerFactory";
  static final String NOP = "org.slf4j.helpers.NOPLoggerFactory";
  private static final Object WARNED_LOCK = new Object();
  private static String warnedFor;

  private LogMasking() {}

  /**
   * Masks the SLF4J back end (if it is Logback) and java.util.logging with {@code masker}.
   * Idempotent per masker; {@link Installation#close()} takes this masker back.
   */
  public static Installation install(SecretMasker masker) {
    Objects.requireNonNull(masker, "masker must not be null");
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    String backEnd = factory.getClass().getName();
    List<AutoCloseable> parts = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    if (backEnd.equals(LOGBACK)) {
      try {
        parts.add(Logback.install(factory, masker));
        covered.add("Logback");
      } catch (LinkageError | ClassCastException e) {
        // Logback of another class loader than this library's: it cannot be wrapped from here.
        warnUnmasked(backEnd, "Logback from another class loader than Secret Fetch's ("
            + e.getClass().getSimpleName() + ")");
      }
    } else if (!backEnd.equals(JUL) && !backEnd.equals(NOP)) {
      warnUnmasked(backEnd, describe(backEnd));
    }
    parts.add(JulMasking.install(masker));
    covered.add("java.util.logging");
    return new Installation(parts, covered);
  }

  /** The back end's name as users know it. */
  static String describe(String backEnd) {
    if (backEnd.startsWith("org.apache.logging.")) {
      return "Log4j 2";
    }
    if (backEnd.equals(SIMPLE)) {
      return "slf4j-simple";
    }
    return "an SLF4J back end Secret Fetch does not know";
  }

  private static void warnUnmasked(String backEnd, String what) {
    synchronized (WARNED_LOCK) {
      if (backEnd.equals(warnedFor)) {
        return;
      }
      warnedFor = backEnd;
    }
    LOG.warn(unmaskedWarning(what, backEnd));
  }

  static String unmaskedWarning(String what, String backEnd) {
    return "Secret Fetch cannot mask log output: SLF4J logs through " + what + " (" + backEnd
        + "), so its appenders write a secret that reaches a log line unmasked (java.util.logging"
        + " is masked). To mask it, log through Logback (logback-classic as the SLF4J binding);"
        + " console output is masked as System.out/System.err when the plugin's maskSystemStreams"
        + " is on (a Log4j 2 console appender only with follow=\"true\", slf4j-simple only without"
        + " a logFile)";
  }

  /** Keeps Logback's classes out of {@link LogMasking}'s own linkage (Logback is optional). */
  private static final class Logback {
    static AutoCloseable install(ILoggerFactory factory, SecretMasker masker) {
      return LogbackMasking.install((ch.qos.logback.classic.LoggerContext) factory, masker);
    }
  }

  /** What {@link #install} masked; {@link #close()} takes the masker back from each. */
  public static final class Installation implements AutoCloseable {
    private final List<AutoCloseable> parts;
    private final List<String> covered;

    private Installation(List<AutoCloseable> parts, List<String> covered) {
      this.parts = List.copyOf(parts);
      this.covered = List.copyOf(covered);
    }

    /** The logging systems now masked, e.g. {@code [Logback, java.util.logging]}. */
    public List<String> covered() {
      return covered;
    }

    @Override
    public void close() {
      for (AutoCloseable part : parts) {
        try {
          part.close();
        } catch (Exception e) {
          LOG.warn("Removing log masking from {} failed ({})", part, e.getClass().getName());
        }
      }
    }
  }
}
