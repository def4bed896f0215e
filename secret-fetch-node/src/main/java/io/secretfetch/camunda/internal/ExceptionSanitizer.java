package io.secretfetch.camunda.internal;

import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.camunda.SecretFetchException;
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

  public ExceptionSanitizer(SecretMasker masker) {
    this.masker = masker;
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
