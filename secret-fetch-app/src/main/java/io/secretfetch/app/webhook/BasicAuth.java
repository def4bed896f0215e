package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code basic}: {@code Authorization: Basic base64(username:password)} (RFC 7617) with the
 * configured user name and the secret as password. Both parts are always compared, in constant
 * time, so the answer's timing does not tell which one was wrong.
 */
public record BasicAuth(String username) implements TriggerAuth {

  @Override
  public Optional<String> verify(Request request, SecretValue secret, Instant now) {
    String header = request.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.of("Authorization: Basic header is missing");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return Optional.of("Authorization: Basic credentials are not base64");
    }
    byte[] expected = secret.revealBytes();
    try {
      int colon = indexOf(decoded, (byte) ':');
      if (colon < 0) {
        return Optional.of("Authorization: Basic credentials have no ':'");
      }
      byte[] user = Arrays.copyOfRange(decoded, 0, colon);
      byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
      boolean userOk = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
      boolean passwordOk = MessageDigest.isEqual(password, expected);
      Arrays.fill(password, (byte) 0);
      return userOk & passwordOk ? Optional.empty()
          : Optional.of("Authorization: Basic user name or password does not match");
    } finally {
      Arrays.fill(decoded, (byte) 0);
      Arrays.fill(expected, (byte) 0);
    }
  }

  @Override
  public Optional<String> challenge() {
    return Optional.of("Basic realm=\"secret-fetch\", charset=\"UTF-8\"");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
