package io.secretfetch.camunda.internal;

import io.secretfetch.api.mask.SecretMasker;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.BpmnError;

/**
 * Masks every registered secret in a throwable's messages, causes and suppressed exceptions, while
 * keeping what the engine reacts to: a {@link BpmnError} stays a BpmnError with the same code, a
 * {@link ProcessEngineException} stays one. A throwable without a secret is returned as it is.
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
    if (t instanceof ProcessEngineException) {
      return new SanitizedProcessEngineException(copy);
    }
    return copy;
  }

  /** Sanitizes and returns a throwable that can be thrown where a RuntimeException is expected. */
  public RuntimeException sanitizeUnchecked(RuntimeException e) {
    Throwable s = sanitize(e);
    return s instanceof RuntimeException r ? r : new SanitizedProcessEngineException(s);
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
