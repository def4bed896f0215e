package io.secretfetch.api.mask;

/**
 * Stands in for a throwable whose message contained a secret (see {@link SecretMasker#sanitize}).
 *
 * <p>It carries the original class name, the masked message, the original stack frames and the
 * sanitized causes and suppressed exceptions, and prints exactly like the original would (class name,
 * masked message), so stack traces keep their meaning. It holds no reference to the original.
 */
public final class MaskedException extends RuntimeException {

  private final String originalClassName;
  private final String maskedToString;

  MaskedException(String originalClassName, String maskedMessage, String maskedToString,
      StackTraceElement[] stackTrace, Throwable sanitizedCause) {
    super(maskedMessage, sanitizedCause, true, true);
    this.originalClassName = originalClassName;
    this.maskedToString = maskedToString;
    setStackTrace(stackTrace);
  }

  /** The fully qualified class name of the throwable this one replaces. */
  public String originalClassName() {
    return originalClassName;
  }

  /** The stack trace is copied from the original, so capturing one here would be wasted work. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /** The original's {@code toString()}, masked: normally "class name: message". */
  @Override
  public String toString() {
    return maskedToString;
  }
}
