package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretValue;
import java.time.Instant;
import java.util.Optional;

/**
 * How a trigger's callers prove who they are, against the trigger's secret. Implementations
 * compare in constant time and never put the secret or the presented credential in a reason.
 */
public sealed interface TriggerAuth permits ApiKeyAuth, HmacSha256Auth, BasicAuth {

  /** What an authentication step sees of a request. */
  interface Request {
    /** The header's value, or null. */
    String header(String name);

    /** The raw body, exactly as received. */
    byte[] body();
  }

  /**
   * Checks a request.
   *
   * @return empty when the request is authentic, else a value-free reason for the server log
   */
  Optional<String> verify(Request request, SecretValue secret, Instant now);

  /** The {@code WWW-Authenticate} challenge for a 401, if the scheme has one. */
  default Optional<String> challenge() {
    return Optional.empty();
  }
}
