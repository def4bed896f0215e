package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** {@code api-key}: the header (default {@code X-API-Key}) carries the secret itself. */
public record ApiKeyAuth(String header) implements TriggerAuth {
  public static final String DEFAULT_HEADER = "X-API-Key";

  @Override
  public Optional<String> verify(Request request, SecretValue secret, Instant now) {
    String presented = request.header(header);
    if (presented == null || presented.isEmpty()) {
      return Optional.of("header " + header + " is missing");
    }
    byte[] expected = secret.revealBytes();
    try {
      return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected)
          ? Optional.empty() : Optional.of("header " + header + " does not match the secret");
    } finally {
      Arrays.fill(expected, (byte) 0);
    }
  }
}
