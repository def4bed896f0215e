package io.secretfetch.vault.internal;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Vault call with exponential backoff and jitter. Retries transport failures and the
 * statuses that say "try again": 412 (a performance standby behind a write), 429, 500, 502, 503
 * and 504. An interrupt ends the loop at once, while calling or while waiting.
 */
final class Retrying {
  private static final Logger log = LoggerFactory.getLogger(Retrying.class);

  private final Backoff backoff;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  @FunctionalInterface
  interface Call {
    Reply run() throws TransportFailure, InterruptedException;
  }

  Retrying(Backoff backoff, Sleeper sleeper, DoubleSupplier random) {
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.random = random;
  }

  static boolean retryable(int status) {
    return status == 412 || status == 429 || status == 500 || status == 502 || status == 503
        || status == 504;
  }

  /**
   * The first reply that is not retryable, or the last one when attempts run out.
   *
   * @throws SecretException {@code PROVIDER_UNAVAILABLE} when every attempt failed to get a reply
   */
  Reply run(SecretRef ref, String what, Call call) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        Reply reply = call.run();
        if (!retryable(reply.status()) || attempt >= backoff.maxAttempts()) {
          return reply;
        }
        log.debug("Vault answered {} to {} of '{}'; retrying ({} of {} attempts used)",
            reply.status(), what, ref, attempt, backoff.maxAttempts());
      } catch (TransportFailure f) {
        if (attempt >= backoff.maxAttempts()) {
          boolean tls = f.getCause() instanceof SSLException;
          throw SecretException.providerUnavailable(
              ref,
              f.getMessage() + " during " + what + ", " + attempt + " attempt(s)",
              tls
                  ? "Check the TLS settings: trust Vault's CA with 'tls.ca-file', and give a"
                      + " client certificate if Vault requires one"
                  : "Check that Vault is reachable at that address (network, DNS, firewall),"
                      + " then retry",
              f.getCause());
        }
        log.debug("{} during {} of '{}'; retrying ({} of {} attempts used)", f.getMessage(), what,
            ref, attempt, backoff.maxAttempts());
      }
      sleeper.sleep(backoff.delayBefore(attempt, random.getAsDouble()));
    }
  }
}
