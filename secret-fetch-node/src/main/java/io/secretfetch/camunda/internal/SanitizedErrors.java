package io.secretfetch.camunda.internal;

import java.lang.reflect.Constructor;

/**
 * Rebuilds an {@link Error} whose message or causes held a secret as an Error again, so the
 * engine and the caller handle it as they would have handled the original: the engine rethrows
 * Errors unchanged, while a RuntimeException in their place would, for instance, be caught by a
 * {@code catch (RuntimeException)} that an Error passes.
 *
 * <p>A JDK error ({@code java.*}: {@code AssertionError}, {@code StackOverflowError}, {@code
 * ExceptionInInitializerError}, ...) is recreated as its own class with the masked message and the
 * sanitized cause; other classes (whose constructors could do anything) become a {@link
 * SanitizedError} that prints like the original.
 */
final class SanitizedErrors {
  private SanitizedErrors() {}

  /**
   * @param original the error as thrown
   * @param copy its masked copy (masked message, sanitized causes and suppressed)
   */
  static Error of(Error original, Throwable copy) {
    Error rebuilt = rebuild(original, copy.getMessage(), copy.toString(), copy.getCause());
    rebuilt.setStackTrace(original.getStackTrace());
    for (Throwable s : copy.getSuppressed()) {
      rebuilt.addSuppressed(s);
    }
    return rebuilt;
  }

  /** An Error like {@code original} with the given masked text and sanitized cause; no stack. */
  static Error rebuild(Error original, String maskedMessage, String maskedToString,
      Throwable cause) {
    Error rebuilt = original.getClass().getName().startsWith("java.")
        ? sameType(original.getClass(), maskedMessage, cause) : null;
    return rebuilt != null ? rebuilt
        : new SanitizedError(original.getClass().getName(), maskedMessage, maskedToString, cause);
  }

  private static Error sameType(Class<? extends Error> type, String message, Throwable cause) {
    if (type == ExceptionInInitializerError.class) {
      // The JVM's own has no message and the initializer's exception as cause.
      return message == null ? new ExceptionInInitializerError(cause)
          : new ExceptionInInitializerError(message);
    }
    try {
      Constructor<? extends Error> withCause = type.getConstructor(String.class, Throwable.class);
      return withCause.newInstance(message, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no (String, Throwable) constructor: try (String) and set the cause
    }
    try {
      Error e = type.getConstructor(String.class).newInstance(message);
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Stands in for an Error of an application's class; prints as the original did, masked. */
  static final class SanitizedError extends Error {
    private static final long serialVersionUID = 1L;
    private final String originalClassName;
    private final String maskedToString;

    SanitizedError(String originalClassName, String maskedMessage, String maskedToString,
        Throwable cause) {
      super(maskedMessage, cause, true, true);
      this.originalClassName = originalClassName;
      this.maskedToString = maskedToString;
    }

    /** The class of the error this one replaces. */
    String originalClassName() {
      return originalClassName;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    @Override
    public String toString() {
      return maskedToString;
    }
  }
}
