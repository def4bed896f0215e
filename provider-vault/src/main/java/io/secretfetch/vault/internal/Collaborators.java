package io.secretfetch.vault.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * What the provider takes from its surroundings: time, waiting, randomness for jitter, and the
 * process environment (read only when the configuration allows it). Tests replace each one.
 *
 * @param clock token lifetimes and fetch times
 * @param sleeper waits between retries
 * @param random uniform values in [0, 1) for backoff jitter
 * @param environment looks up an environment variable, null when absent
 */
public record Collaborators(
    Clock clock, Sleeper sleeper, DoubleSupplier random, UnaryOperator<String> environment) {
  public Collaborators {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(environment, "environment");
  }

  /** The system clock, real sleeps, thread-local randomness and {@link System#getenv(String)}. */
  public static Collaborators system() {
    return new Collaborators(
        Clock.systemUTC(), Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(),
        System::getenv);
  }
}
