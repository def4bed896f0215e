package io.secretfetch.camunda;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A Secret Fetch failure as the engine sees it: which secret, which element, what happened and what
 * to do, with a {@link SecretError} code. Its message never contains a secret value; the cause, when
 * there is one, is the value-free {@link SecretException} of the resolver.
 *
 * <p>This is what a command fails with when a secret cannot be resolved and the model does not
 * catch the error: the start or completion fails and rolls back, an asynchronous job is retried and
 * ends in an incident whose message is {@link #getMessage()}.
 */
public class SecretFetchException extends ProcessEngineException {
  private static final long serialVersionUID = 1L;

  private final SecretError error;
  private final transient SecretRef ref;
  private final String element;

  public SecretFetchException(String message, SecretError error, SecretRef ref, String element,
      Throwable cause) {
    super(message, cause);
    this.error = error;
    this.ref = ref;
    this.element = element;
  }

  /** The failure of {@code element} (an activity id) to resolve a secret. */
  public static SecretFetchException of(String element, SecretException failure) {
    return new SecretFetchException(
        "Secret Fetch in '" + element + "' failed: " + failure.getMessage(),
        failure.error(),
        failure.ref(),
        element,
        failure);
  }

  /** The code; also the BPMN error code when the model catches it. */
  public SecretError error() {
    return error;
  }

  /** The secret concerned, or null. */
  public SecretRef ref() {
    return ref;
  }

  /** The activity (or variable) concerned, or null. */
  public String element() {
    return element;
  }
}
