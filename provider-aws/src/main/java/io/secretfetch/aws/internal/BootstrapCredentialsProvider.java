package io.secretfetch.aws.internal;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Static AWS keys held in another provider (typically the platform store) and read through the
 * bootstrap resolver: lazily, on the first signed request, and again whenever the resolver's cache
 * has picked up a new version of a key secret, so rotating the keys in the store needs no restart.
 *
 * <p>{@link #toString()} names the references, never a key.
 */
public final class BootstrapCredentialsProvider implements AwsCredentialsProvider {
  private static final Logger log = LoggerFactory.getLogger(BootstrapCredentialsProvider.class);

  private final String providerId;
  private final BootstrapSecrets bootstrap;
  private final SecretRef accessKeyIdRef;
  private final SecretRef secretAccessKeyRef;
  private final SecretRef sessionTokenRef;
  private volatile Cached cached;

  /** The credentials built from given versions of the key secrets. */
  private record Cached(String versions, AwsCredentials credentials) {}

  public BootstrapCredentialsProvider(
      String providerId,
      BootstrapSecrets bootstrap,
      SecretRef accessKeyIdRef,
      SecretRef secretAccessKeyRef,
      SecretRef sessionTokenRef) {
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    this.accessKeyIdRef = Objects.requireNonNull(accessKeyIdRef, "accessKeyIdRef");
    this.secretAccessKeyRef = Objects.requireNonNull(secretAccessKeyRef, "secretAccessKeyRef");
    this.sessionTokenRef = sessionTokenRef;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    SecretContext system = SecretContext.system();
    try (SecretValue keyId = bootstrap.resolve(accessKeyIdRef, system);
        SecretValue secret = bootstrap.resolve(secretAccessKeyRef, system);
        SecretValue token = sessionTokenRef == null ? null : bootstrap.resolve(sessionTokenRef, system)) {
      String versions =
          keyId.version() + "/" + secret.version() + "/" + (token == null ? "-" : token.version());
      Cached current = cached;
      if (current != null && current.versions.equals(versions)) {
        return current.credentials;
      }
      AwsCredentials built =
          token == null
              ? AwsBasicCredentials.builder()
                  .accessKeyId(keyId.reveal().trim())
                  .secretAccessKey(secret.reveal().trim())
                  .providerName("SecretFetchBootstrap")
                  .build()
              : AwsSessionCredentials.builder()
                  .accessKeyId(keyId.reveal().trim())
                  .secretAccessKey(secret.reveal().trim())
                  .sessionToken(token.reveal().trim())
                  .providerName("SecretFetchBootstrap")
                  .build();
      if (current != null) {
        log.info(
            "AWS provider '{}' picked up new static keys from '{}' (versions {})",
            providerId, accessKeyIdRef, versions);
      }
      cached = new Cached(versions, built);
      return built;
    } catch (SecretException e) {
      throw new SecretException(
          e.retryable() ? SecretError.PROVIDER_UNAVAILABLE : SecretError.CONFIGURATION,
          e.ref(),
          "AWS provider '" + providerId + "' could not read its static keys: " + e.detail(),
          e.remedy(),
          e);
    }
  }

  /**
   * Called after AWS refused the keys: drops them from the bootstrap cache and reads them again.
   *
   * @return whether a key secret now has another version, so a retry may succeed
   */
  public boolean refreshAfterRejection() {
    Cached before = cached;
    SecretContext system = SecretContext.system();
    bootstrap.invalidate(accessKeyIdRef, system);
    bootstrap.invalidate(secretAccessKeyRef, system);
    if (sessionTokenRef != null) {
      bootstrap.invalidate(sessionTokenRef, system);
    }
    try {
      resolveCredentials();
    } catch (SecretException e) {
      return false;
    }
    Cached after = cached;
    return before == null || after == null || !before.versions.equals(after.versions);
  }

  @Override
  public String toString() {
    return "BootstrapCredentialsProvider[accessKeyId=" + accessKeyIdRef + ", secretAccessKey="
        + secretAccessKeyRef + (sessionTokenRef == null ? "" : ", sessionToken=" + sessionTokenRef)
        + "]";
  }
}
