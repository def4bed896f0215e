package io.secretfetch.camunda.internal;

import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.camunda.SecretFetchException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.BpmnError;

/**
 * Masks every registered secret in a throwable's messages, causes and suppressed exceptions, while
 * keeping what the engine reacts to: a {@link BpmnError} stays a BpmnError with the same code, a
 * {@link ProcessEngineException} stays one, a {@link SecretFetchException} keeps its code and
 * element, and an {@link Error} stays an Error (the engine rethrows Errors as they are, and a job
 * failing with one is retried and ends in an incident like any other). A throwable without a
 * secret is returned as it is.
 */
public final class ExceptionSanitizer {
  private final SecretMasker masker;
  private final SecretDetector detector;

  public ExceptionSanitizer(SecretMasker masker) {
    this.masker = masker;
    this.detector = new SecretDetector(masker);
  }

  /** The checks the guards use, over the same masker. */
  public SecretDetector detector() {
    return detector;
  }

  public Throwable sanitize(Throwable t) {
    if (t == null) {
      return null;
    }
    if (t instanceof BpmnError error) {
      return sanitizeBpmnError(error);
    }
    Throwable copy = masker.sanitize(t);
    if (copy == t) {
      return t;
    }
    if (t.getCause() != null && holdsTyped(t.getCause())) {
      return rewrap(t, sanitize(t.getCause()));
    }
    if (t instanceof SecretFetchException sfe) {
      return new SecretFetchException(copy.getMessage(), sfe.error(), sfe.ref(), sfe.element(),
          copy.getCause());
    }
    if (t instanceof ProcessEngineException) {
      return new SanitizedProcessEngineException(copy);
    }
    if (t instanceof Error error) {
      return SanitizedErrors.of(error, copy);
    }
    return copy;
  }

  /**
   * Sanitizes what a command or user code threw, as something that can be rethrown where only
   * unchecked throwables may pass: a RuntimeException stays one, an Error stays an Error, and a
   * checked exception (thrown sneakily) becomes a ProcessEngineException.
   */
  public RuntimeException sanitizeUnchecked(RuntimeException e) {
    Throwable s = sanitize(e);
    return s instanceof RuntimeException r ? r : new SanitizedProcessEngineException(s);
  }

  /** Sanitizes {@code t} and throws the result; a checked exception stays checked. */
  public void rethrowSanitized(Throwable t) throws Exception {
    Throwable clean = sanitize(t);
    if (clean instanceof Exception e) {
      throw e;
    }
    if (clean instanceof Error e) {
      throw e;
    }
    throw new SanitizedProcessEngineException(clean);
  }

  /** Sanitizes an Error; the result is an Error too, of the same type where it is the JDK's. */
  public Error sanitizeError(Error e) {
    return (Error) sanitize(e);
  }

  /**
   * Whether the cause chain holds what the engine looks for by type in a chain — a BpmnError
   * (which {@code BpmnExceptionHandler} finds below wrappers, e.g. JUEL's ELException around what
   * an expression's method threw) or the plugin's refusal. A masked copy of the whole tree would
   * turn them into plain copies, so such chains are rebuilt level by level. Not for cycles.
   */
  private static boolean holdsTyped(Throwable cause) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    boolean typed = false;
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (seen.put(c, Boolean.TRUE) != null) {
        return false; // a cycle: the masker's copy cuts it
      }
      typed |= c instanceof BpmnError || c instanceof SecretFetchException;
    }
    return typed;
  }

  /** t with its message masked around a sanitized cause, keeping what t is to the engine. */
  private Throwable rewrap(Throwable t, Throwable cleanCause) {
    String message = t.getMessage() == null ? null : masker.mask(t.getMessage());
    String printed = masker.mask(t.toString());
    Throwable out;
    if (t instanceof SecretFetchException sfe) {
      out = new SecretFetchException(message, sfe.error(), sfe.ref(), sfe.element(), cleanCause);
    } else if (t instanceof Error e) {
      out = SanitizedErrors.rebuild(e, message, printed, cleanCause);
    } else {
      out = new SanitizedWrapper(message, printed, cleanCause);
    }
    out.setStackTrace(t.getStackTrace());
    for (Throwable suppressed : t.getSuppressed()) {
      out.addSuppressed(masker.sanitize(suppressed));
    }
    return out;
  }

  public String mask(String text) {
    return text == null ? null : masker.mask(text);
  }

  private BpmnError sanitizeBpmnError(BpmnError error) {
    String code = error.getErrorCode();
    String message = error.getMessage();
    Throwable cause = error.getCause();
    Throwable cleanCause = cause == null ? null : sanitize(cause);
    String maskedCode = masker.mask(code);
    String maskedMessage = message == null ? null : masker.mask(message);
    if (maskedCode.equals(code) && (message == null || maskedMessage.equals(message))
        && cleanCause == cause) {
      return error;
    }
    BpmnError copy = cleanCause == null
        ? new BpmnError(maskedCode, maskedMessage)
        : new BpmnError(maskedCode, maskedMessage, cleanCause);
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /**
   * Stands in for an exception that wrapped a BpmnError or refusal and held a secret: an engine
   * exception that prints like the original (class name, masked message) and keeps the chain.
   */
  static final class SanitizedWrapper extends ProcessEngineException {
    private static final long serialVersionUID = 1L;
    private final String printed;

    SanitizedWrapper(String maskedMessage, String maskedToString, Throwable cleanCause) {
      super(maskedMessage, cleanCause);
      this.printed = maskedToString;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    @Override
    public String toString() {
      return printed;
    }
  }

  /** Keeps a sanitized engine exception an engine exception, e.g. for the REST API's mapping. */
  static final class SanitizedProcessEngineException extends ProcessEngineException {
    private static final long serialVersionUID = 1L;

    SanitizedProcessEngineException(Throwable sanitized) {
      super(sanitized.getMessage(), sanitized);
      setStackTrace(sanitized.getStackTrace());
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
