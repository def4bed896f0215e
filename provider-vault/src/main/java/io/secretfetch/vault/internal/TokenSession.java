package io.secretfetch.vault.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * A token in use and what is known about its lifetime. Renewal yields a new session with the same
 * token and generation; a new login yields a new generation.
 *
 * @param generation counts logins, starting at 1
 * @param token the token
 * @param obtainedAt when the token was obtained or last renewed
 * @param expiresAt when the lease ends, or null for a token without expiry
 * @param renewAt when to renew (or log in again), or null for a token without expiry
 * @param renewable whether {@code renew-self} may extend it
 * @param finalLease whether Vault capped the last lease at the token's maximum lifetime, so that
 *     renewing again cannot help and the next step is a new login
 * @param leaseSeconds the last lease granted, in seconds (0 = no expiry)
 */
record TokenSession(
    long generation,
    VaultToken token,
    Instant obtainedAt,
    Instant expiresAt,
    Instant renewAt,
    boolean renewable,
    boolean finalLease,
    long leaseSeconds) {

  static TokenSession of(
      long generation, VaultToken token, Instant now, long leaseSeconds, boolean renewable,
      boolean finalLease, double renewFraction) {
    if (leaseSeconds <= 0) {
      return new TokenSession(generation, token, now, null, null, renewable, finalLease, 0);
    }
    Duration lease = Duration.ofSeconds(leaseSeconds);
    Duration before = Duration.ofMillis((long) (lease.toMillis() * renewFraction));
    return new TokenSession(
        generation, token, now, now.plus(lease), now.plus(before), renewable, finalLease,
        leaseSeconds);
  }

  /** Whether it is time to renew or log in again. */
  boolean due(Instant now) {
    return renewAt != null && !now.isBefore(renewAt);
  }

  boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "TokenSession[generation=" + generation + ", expiresAt=" + expiresAt + ", renewable="
        + renewable + ", finalLease=" + finalLease + "]";
  }
}
