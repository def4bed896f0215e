package io.secretfetch.vault.internal;

import java.time.Duration;

/** Waits between retries. Tests inject one that records instead of waiting. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread; interruptible. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

  void sleep(Duration duration) throws InterruptedException;
}
