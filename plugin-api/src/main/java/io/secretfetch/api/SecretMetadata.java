package io.secretfetch.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The facts about a resolved secret that are safe to print, log and store: which secret, which
 * version was resolved, when it was fetched and when it stops being valid.
 *
 * @param ref the reference that was resolved (its version is what was asked for, maybe null)
 * @param version the version the provider returned (never null: providers without versions use a
 *     stable label such as {@code "current"})
 * @param fetchedAt when the provider returned the value
 * @param expiresAt when the secret expires, or null if it does not
 */
public record SecretMetadata(SecretRef ref, String version, Instant fetchedAt, Instant expiresAt) {
  public SecretMetadata {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }

  /** The reference pinned to the version that was resolved; it resolves to the same value. */
  public SecretRef resolvedRef() {
    return ref.withVersion(version);
  }

  SecretMetadata withRef(SecretRef newRef) {
    return new SecretMetadata(newRef, version, fetchedAt, expiresAt);
  }
}
