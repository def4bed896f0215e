package io.secretfetch.app.webhook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretfetch.api.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hmac-sha256}: the caller signs {@code TIMESTAMP + "." + BODY} (the Unix time in seconds
 * as decimal ASCII, a dot, the raw body bytes) with HMAC-SHA256 keyed by the secret's UTF-8
 * bytes, and sends {@code X-Signature-Timestamp: TIMESTAMP} and {@code X-Signature: sha256=HEX}
 * (lower- or upper-case hex; the {@code sha256=} prefix is optional). A timestamp outside
 * {@code tolerance} of the server's clock is refused, and so is a signature already accepted
 * within the window, so a captured request cannot be replayed. Signatures are compared in
 * constant time.
 */
public final class HmacSha256Auth implements TriggerAuth {
  public static final String DEFAULT_HEADER = "X-Signature";
  public static final String DEFAULT_TIMESTAMP_HEADER = "X-Signature-Timestamp";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final String header;
  private final String timestampHeader;
  private final Duration tolerance;
  private final Cache<String, Boolean> seen;

  public HmacSha256Auth(String header, String timestampHeader, Duration tolerance) {
    this.header = header;
    this.timestampHeader = timestampHeader;
    this.tolerance = tolerance;
    // A signature outside the window is refused by its timestamp, so remembering it for twice
    // the window (past and future skew) is enough.
    this.seen = Caffeine.newBuilder().expireAfterWrite(tolerance.multipliedBy(2)).build();
  }

  public String header() {
    return header;
  }

  public String timestampHeader() {
    return timestampHeader;
  }

  public Duration tolerance() {
    return tolerance;
  }

  @Override
  public Optional<String> verify(Request request, SecretValue secret, Instant now) {
    String signature = request.header(header);
    String timestamp = request.header(timestampHeader);
    if (signature == null || timestamp == null) {
      return Optional.of("header " + (signature == null ? header : timestampHeader)
          + " is missing");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Optional.of("header " + timestampHeader + " is not a Unix time in seconds");
    }
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > tolerance.toSeconds()) {
      return Optional.of("timestamp is " + skew + " s away from the server's clock (window "
          + tolerance.toSeconds() + " s): stale, replayed or a wrong clock");
    }
    String hex = signature.trim();
    if (hex.regionMatches(true, 0, "sha256=", 0, 7)) {
      hex = hex.substring(7);
    }
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.of("header " + header + " is not hex");
    }
    byte[] expected = sign(secret, timestamp.trim(), request.body());
    if (!MessageDigest.isEqual(presented, expected)) {
      return Optional.of("signature does not match the body and timestamp");
    }
    if (seen.asMap().putIfAbsent(HexFormat.of().formatHex(expected), Boolean.TRUE) != null) {
      return Optional.of("signature was already used: replayed request");
    }
    return Optional.empty();
  }

  /** HMAC-SHA256 over {@code timestamp + "." + body} keyed by the secret; for callers and tests. */
  public static byte[] sign(SecretValue secret, String timestamp, byte[] body) {
    byte[] key = secret.revealBytes();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "HmacSha256Auth[header=" + header + ", timestampHeader=" + timestampHeader
        + ", tolerance=" + tolerance + "]";
  }
}
