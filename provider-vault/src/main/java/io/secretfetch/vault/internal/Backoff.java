package io.secretfetch.vault.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter: before retry {@code n} (1-based) the base delay is {@code
 * initial * 2^(n-1)}, capped at {@code max}; the delay waited is uniformly drawn from {@code
 * [base * (1 - jitter), base]}, so clients that failed together do not retry together.
 *
 * @param maxAttempts attempts in all, the first one included (1 = no retry)
 * @param initial the base delay before the first retry
 * @param max the largest base delay
 * @param jitter the fraction of the base delay that is random, in [0, 1]
 */
public record Backoff(int maxAttempts, Duration initial, Duration max, double jitter) {
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (initial.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1");
    }
  }

  /** The delay before retry {@code retry} (1 for the first retry); {@code random} in [0, 1). */
  public Duration delayBefore(int retry, double random) {
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    long base = initialNanos;
    for (int i = 1; i < retry && base < maxNanos; i++) {
      base = base > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : base * 2;
    }
    base = Math.min(base, maxNanos);
    long randomPart = (long) (base * jitter * (1 - Math.max(0, Math.min(random, 1))));
    return Duration.ofNanos(base - randomPart);
  }
}
