package io.secretfetch.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one token alive for the provider. Requests call {@link #current}: while the token is
 * fresh it is returned without locking; once {@code renew-at} of its lease has passed, one thread
 * renews it ({@code auth/token/renew-self}) or, when renewal fails, the token is not renewable, or
 * Vault capped the last lease at the token's maximum lifetime, logs in again. Every other thread
 * waits for that one (interruptibly) and shares its result: concurrent requests share one login.
 *
 * <p>Renewal happens on the request path; a provider that is idle past its token's lease simply
 * logs in again on the next request (AppRole, or a token re-read from the platform store).
 */
final class TokenManager {
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);

  private final String providerId;
  private final Credentials credentials;
  private final VaultGateway gateway;
  private final Retrying retrying;
  private final Clock clock;
  private final double renewAt;
  private final String namespace;

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong generations = new AtomicLong();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile TokenSession session;
  private volatile boolean refreshCredentials;

  TokenManager(String providerId, Credentials credentials, VaultGateway gateway,
      Retrying retrying, Clock clock, double renewAt, String namespace) {
    this.providerId = providerId;
    this.credentials = credentials;
    this.gateway = gateway;
    this.retrying = retrying;
    this.clock = clock;
    this.renewAt = renewAt;
    this.namespace = namespace;
  }

  /** A token that is not due for renewal, logging in or renewing first if needed. */
  TokenSession current(SecretRef ref) throws InterruptedException {
    TokenSession s = session;
    if (s != null && !s.due(clock.instant())) {
      return s;
    }
    lock.lockInterruptibly();
    try {
      s = session;
      Instant now = clock.instant();
      if (s != null && !s.due(now)) {
        return s;
      }
      if (s != null && s.renewable() && !s.finalLease() && !s.expired(now)) {
        try {
          TokenSession renewed = renew(s, ref);
          session = renewed;
          renewals.incrementAndGet();
          return renewed;
        } catch (SecretException e) {
          log.info("Vault provider '{}': token renewal failed ({}); logging in again",
              providerId, e.error());
        }
      } else if (s != null) {
        log.info("Vault provider '{}': token {}; logging in again", providerId,
            s.finalLease() ? "reached its maximum lifetime"
                : s.expired(now) ? "expired" : "is not renewable");
      }
      boolean refresh = refreshCredentials || s != null;
      TokenSession fresh = credentials.login(generations.incrementAndGet(), refresh, ref);
      refreshCredentials = false;
      session = fresh;
      logins.incrementAndGet();
      gateway.retire(fresh.generation());
      log.debug("Vault provider '{}': logged in with {} ({})", providerId,
          credentials.describe(), fresh);
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  private TokenSession renew(TokenSession s, SecretRef ref) throws InterruptedException {
    Reply r = retrying.run(ref, "token renewal",
        () -> gateway.renewSelf(s, namespace, s.leaseSeconds()));
    try {
      if (!r.ok()) {
        throw Errors.unexpected(ref, r.status(), "the token renewal", gateway.address(), r);
      }
      JsonNode auth = r.json().path("auth");
      long lease = auth.path("lease_duration").asLong(0);
      if (lease <= 0) {
        throw Errors.unexpected(ref, 0, "the token renewal (no lease)", gateway.address(), r);
      }
      return TokenSession.of(s.generation(), s.token(), clock.instant(), lease,
          auth.path("renewable").asBoolean(false), lease < s.leaseSeconds(), renewAt);
    } finally {
      r.wipe();
    }
  }

  /**
   * After a 403: whether {@code s} is still a valid token (so the 403 is the policy's answer), by
   * {@code auth/token/lookup-self}. When in doubt (Vault unavailable), true.
   */
  boolean stillValid(TokenSession s, SecretRef ref) throws InterruptedException {
    Reply r = retrying.run(ref, "token lookup", () -> gateway.lookupSelf(s, namespace));
    try {
      return r.status() != 403 && r.status() != 401;
    } finally {
      r.wipe();
    }
  }

  /** Drops {@code s} if it is still the current session; the next request logs in again. */
  void discard(TokenSession s) {
    lock.lock();
    try {
      if (session == s) {
        log.info("Vault provider '{}': token no longer valid (revoked or expired early);"
            + " logging in again", providerId);
        session = null;
        refreshCredentials = true;
      }
    } finally {
      lock.unlock();
    }
  }

  int logins() {
    return logins.get();
  }

  int renewals() {
    return renewals.get();
  }

  /** Threads waiting for a login or renewal to finish; for tests. */
  int waiting() {
    return lock.getQueueLength();
  }

  void close() {
    TokenSession s = session;
    session = null;
    if (s != null && credentials instanceof Credentials.AppRole) {
      s.token().destroy();
    }
  }
}
