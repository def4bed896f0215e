package io.secretfetch.platform.provider.internal;

import com.nimbusds.jose.jwk.ECKey;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The remote provider's settings, already validated by the factory.
 *
 * @param baseUrl the server, e.g. {@code https://secrets.example:8443} (no trailing slash)
 * @param workerKey the worker's private EC P-256 key, with its key id
 * @param subject the {@code sub} of minted tokens (the audit actor)
 * @param audience the {@code aud} the server expects
 * @param pin the server leaf certificate's SHA-256 (lower-case hex), or null
 * @param trustStore the trust store, or null
 * @param tokenLifetime the lifetime of each minted token
 * @param connectTimeout TCP and TLS connect timeout
 * @param requestTimeout the timeout of one attempt
 * @param maxAttempts attempts per idempotent call (1 = no retry)
 * @param initialBackoff the wait before the second attempt; doubles each time, with jitter
 * @param maxBackoff the longest wait between attempts
 */
public record RemoteSettings(URI baseUrl, ECKey workerKey, String subject, String audience,
    String pin, KeyStore trustStore, Duration tokenLifetime, Duration connectTimeout,
    Duration requestTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RemoteSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(workerKey, "workerKey");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(audience, "audience");
  }

  /** Never prints the key: its id only. */
  @Override
  public String toString() {
    return "RemoteSettings[url=" + baseUrl + ", kid=" + workerKey.getKeyID() + ", subject="
        + subject + ", audience=" + audience + ", pin=" + (pin == null ? "none" : pin)
        + ", trustStore=" + (trustStore != null) + ", attempts=" + maxAttempts + "]";
  }
}
