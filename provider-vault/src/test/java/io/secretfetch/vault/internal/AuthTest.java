package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final SecretRef APP = SecretRef.parse("vault:secret/app");
  private VaultFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new VaultFixture();
    f.vault.mount("secret", 2);
    f.vault.put("secret/app", Map.of("password", "pw"));
    f.vault.appRole("role-1", "secret-id-1", Duration.ofSeconds(60), Duration.ofSeconds(100));
    f.platform.put("vault/approle-secret-id", "secret-id-1");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Map<String, String> appRole() {
    Map<String, String> s = new HashMap<>();
    s.put("address", f.vault.address());
    s.put("approle.role-id", "role-1");
    s.put("approle.secret-id-ref", "platform:vault/approle-secret-id");
    s.put("mounts", "secret=2");
    s.put("retry.max-attempts", "2");
    return s;
  }

  private void read(VaultKvProvider p) {
    try (SecretValue v = p.fetch(APP, CTX)) {
      assertThat(v.revealJson().path("password").asText()).isEqualTo("pw");
    }
  }

  @Test
  void appRoleLogsInOnceWithTheSecretIdFromThePlatformStoreAsJson() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    read(p);
    assertThat(f.vault.logins()).isEqualTo(1);
    assertThat(f.vault.requests()).anySatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/auth/approle/login");
      assertThat(r.contentType()).isEqualTo("application/json");
      assertThat(r.token()).isNull();
    });
    assertThat(f.platform.fetchCount()).isEqualTo(1);
  }

  @Test
  void tokenFromThePlatformStoreIsLookedUpAndUsed() {
    String token = f.vault.issueToken(Duration.ofHours(1), Duration.ZERO, true);
    f.platform.put("vault/token", token);
    Map<String, String> s = new HashMap<>();
    s.put("address", f.vault.address());
    s.put("token-ref", "platform:vault/token");
    s.put("mounts", "secret=2");
    read(f.provider(s));
    assertThat(f.vault.requests()).anySatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/auth/token/lookup-self");
      assertThat(r.token()).isEqualTo(token);
    });
  }

  @Test
  void tokensAreRenewedBeforeExpiryWithJsonContentType() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    f.clock.advance(Duration.ofSeconds(30));
    read(p);
    assertThat(f.vault.renewals()).isZero();
    f.clock.advance(Duration.ofSeconds(11)); // 41 s of a 60 s lease: past renew-at 0.67
    read(p);
    assertThat(f.vault.renewals()).isEqualTo(1);
    assertThat(f.vault.logins()).isEqualTo(1);
    assertThat(f.vault.requests()).anySatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/auth/token/renew-self");
      assertThat(r.contentType()).isEqualTo("application/json");
    });
  }

  @Test
  void reachingTheMaximumLifetimeLeadsToANewLogin() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    f.clock.advance(Duration.ofSeconds(41));
    read(p); // renewed, but capped at max TTL 100 s: 59 s
    assertThat(f.vault.renewals()).isEqualTo(1);
    f.clock.advance(Duration.ofSeconds(40)); // 81 s: due again, and renewal cannot help
    read(p);
    assertThat(f.vault.renewals()).isEqualTo(1);
    assertThat(f.vault.logins()).isEqualTo(2);
    assertThat(p.logins()).isEqualTo(2);
  }

  @Test
  void aFailedRenewalLeadsToANewLogin() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    f.vault.refuseRenewals(true);
    f.clock.advance(Duration.ofSeconds(45));
    read(p);
    assertThat(f.vault.logins()).isEqualTo(2);
  }

  @Test
  void aTokenRevokedMidRunIsReplacedByANewLoginAndTheReadRepeated() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    f.vault.revokeAll();
    read(p);
    assertThat(f.vault.logins()).isEqualTo(2);
  }

  @Test
  void aTokenThatExpiredWhileIdleIsReplaced() {
    VaultKvProvider p = f.provider(appRole());
    read(p);
    f.clock.advance(Duration.ofMinutes(10));
    read(p);
    assertThat(f.vault.logins()).isEqualTo(2);
    assertThat(f.vault.renewals()).isZero();
  }

  @Test
  void aGivenTokenThatExpiredIsAccessDeniedWithARemedy() {
    String token = f.vault.issueToken(Duration.ofSeconds(60), Duration.ZERO, false);
    Map<String, String> s = new HashMap<>();
    s.put("address", f.vault.address());
    s.put("token", token);
    s.put("mounts", "secret=2");
    VaultKvProvider p = f.provider(s);
    read(p);
    f.vault.revokeAll();
    assertThatThrownBy(() -> p.fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
          assertThat(e.detail()).contains("refused the token");
          assertThat(e.remedy()).contains("auth=approle");
        })
        .hasMessageNotContaining(token);
  }

  @Test
  void aRefusedSecretIdIsAccessDeniedAndTheStoreIsReadAgainNextTime() {
    f.platform.put("vault/approle-secret-id", "wrong-secret-id");
    VaultKvProvider p = f.provider(appRole());
    assertThatThrownBy(() -> p.fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
          assertThat(e.remedy()).contains("platform:vault/approle-secret-id");
        })
        .hasMessageNotContaining("wrong-secret-id");
    f.platform.put("vault/approle-secret-id", "secret-id-1"); // rotated
    read(p);
    assertThat(f.vault.logins()).isEqualTo(1);
  }

  @Test
  void aMissingBootstrapSecretIsAConfigurationError() {
    Map<String, String> s = appRole();
    s.put("approle.secret-id-ref", "platform:vault/absent");
    assertThatThrownBy(() -> f.provider(s).fetch(APP, CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.detail()).contains("platform:vault/absent");
        });
  }

  @Test
  void concurrentRequestsShareOneLogin() throws Exception {
    int threads = 8;
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loginStarted = new CountDownLatch(1);
    f.vault.beforeLogin(() -> {
      loginStarted.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    VaultKvProvider p = f.provider(appRole());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          try (SecretValue v = p.fetch(APP, CTX)) {
            return v.revealJson().path("password").asText();
          }
        }));
      }
      loginStarted.await();
      while (p.threadsWaitingForToken() < threads - 1) {
        Thread.onSpinWait(); // every other thread is parked behind the one login
      }
      release.countDown();
      for (Future<String> r : results) {
        assertThat(r.get()).isEqualTo("pw");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(f.vault.logins()).isEqualTo(1);
    assertThat(p.logins()).isEqualTo(1);
  }
}
