package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final SecretRef APP = SecretRef.parse("vault:secret/app");
  private VaultFixture f;
  private VaultKvProvider p;

  @BeforeEach
  void setUp() throws Exception {
    f = new VaultFixture();
    f.vault.mount("secret", 2);
    f.vault.put("secret/app", Map.of("k", "v"));
    Map<String, String> s = f.tokenSettings(
        f.vault.issueToken(Duration.ZERO, Duration.ZERO, false));
    s.put("mounts", "secret=2");
    s.put("retry.max-attempts", "4");
    p = f.provider(s);
    p.fetch(APP, CTX).close(); // logged in
    f.sleeps.clear();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static boolean data(String path) {
    return path.startsWith("secret/data/");
  }

  @Test
  void aSealedVaultIsUnavailableAndWorksAgainWhenUnsealed() {
    f.vault.sealed(true);
    assertThatThrownBy(() -> p.fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
          assertThat(e.retryable()).isTrue();
          assertThat(e.detail()).contains("503");
          assertThat(e.remedy()).contains("vault operator unseal");
        });
    assertThat(f.sleeps).hasSize(3);
    f.vault.sealed(false);
    try (SecretValue v = p.fetch(APP, CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v");
    }
  }

  @Test
  void aSealThatLiftsDuringRetriesIsInvisibleToTheCaller() {
    f.vault.sealed(true);
    f.sleeper = d -> {
      f.sleeps.add(d);
      f.vault.sealed(false);
    };
    try (SecretValue v = p.fetch(APP, CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v");
    }
    assertThat(f.sleeps).hasSize(1);
  }

  @Test
  void retriesBackOffExponentiallyWithJitterUpToTheCap() {
    f.vault.failNext(3, ResilienceTest::data, 500, "internal error");
    p.fetch(APP, CTX).close();
    // random 0.5, jitter 0.5: 75 % of the base delay 100 ms, 200 ms, 400 ms
    assertThat(f.sleeps).containsExactly(
        Duration.ofMillis(75), Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void throttlingIsRetriedThenReportedAsThrottled() {
    f.vault.failNext(10, ResilienceTest::data, 429, "rate limit quota exceeded");
    assertThatThrownBy(() -> p.fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.THROTTLED);
          assertThat(e.remedy()).contains("rate limit quota");
        });
    assertThat(f.sleeps).hasSize(3);
  }

  @Test
  void preconditionFailedIsRetried() {
    f.vault.failNext(2, ResilienceTest::data, 412, "required index state not present");
    try (SecretValue v = p.fetch(APP, CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v");
    }
    assertThat(f.sleeps).hasSize(2);
  }

  @Test
  void anUnreachableVaultIsUnavailableNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> s = f.tokenSettings("hvs.unused");
    s.put("address", "http://127.0.0.1:" + port);
    s.put("mounts", "secret=2");
    assertThatThrownBy(() -> f.provider(s).fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
          assertThat(e.detail()).contains("127.0.0.1:" + port).contains("ConnectException");
        })
        .hasMessageNotContaining("hvs.unused");
  }

  @Test
  void anInterruptDuringBackoffFailsFastAndKeepsTheFlag() {
    f.vault.sealed(true);
    f.sleeper = d -> {
      throw new InterruptedException("test");
    };
    int before = f.vault.requests().size();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    assertThatThrownBy(() -> {
      try {
        p.fetch(APP, CTX);
      } finally {
        flag.set(Thread.interrupted());
      }
    }).isInstanceOfSatisfying(SecretException.class, e -> {
      assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
      assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
    });
    assertThat(flag.get()).isTrue();
    assertThat(f.vault.requests().size() - before).isEqualTo(1);
  }

  @Test
  void anInterruptWhileWaitingForVaultFailsFastAndKeepsTheFlag() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    f.vault.hold(ResilienceTest::data, () -> {
      arrived.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    AtomicBoolean flag = new AtomicBoolean();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        p.fetch(APP, CTX).close();
      } catch (Throwable t) {
        thrown.set(t);
      } finally {
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    arrived.await();
    caller.interrupt();
    caller.join();
    never.countDown();
    assertThat(thrown.get()).isInstanceOfSatisfying(SecretException.class,
        e -> assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE))
        .hasMessageContaining("interrupted");
    assertThat(flag.get()).isTrue();
    assertThat(f.sleeps).isEmpty();
  }

  @Test
  void anAlreadyInterruptedCallerSendsNothing() {
    int before = f.vault.requests().size();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> p.fetch(APP, CTX)).isInstanceOf(SecretException.class);
    } finally {
      flag.complete(Thread.interrupted());
    }
    assertThat(flag.join()).isTrue();
    assertThat(f.vault.requests()).hasSize(before);
  }
}
