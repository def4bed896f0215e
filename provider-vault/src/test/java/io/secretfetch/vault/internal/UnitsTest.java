package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void backoffDoublesUpToTheCapWithJitterBelowTheBase() {
    Backoff b = new Backoff(6, Duration.ofMillis(100), Duration.ofMillis(500), 0.5);
    assertThat(b.delayBefore(1, 0.999999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(b.delayBefore(1, 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(b.delayBefore(2, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delayBefore(3, 0.0)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delayBefore(4, 0.0)).isEqualTo(Duration.ofMillis(250));
    assertThat(b.delayBefore(60, 0.0)).isEqualTo(Duration.ofMillis(250));
    assertThat(new Backoff(2, Duration.ofMillis(100), Duration.ofMillis(100), 0)
        .delayBefore(1, 0.3)).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> new Backoff(0, Duration.ZERO, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void vaultTokenPrintsItsClassNameOnlyAndCopies() {
    VaultToken t = VaultToken.of("hvs.abc");
    assertThat(t.toString()).isEqualTo("VaultToken");
    char[] copy = t.toCharArray();
    copy[0] = 'x';
    assertThat(t.reveal()).isEqualTo("hvs.abc");
    t.destroy();
    assertThat(t.reveal()).doesNotContain("hvs");
    assertThatThrownBy(() -> VaultToken.of(" ")).hasMessage("Token must not be empty");
  }

  @Test
  void pathsAreEncodedPerSegmentAndUnsafePathsRefused() {
    assertThat(VaultPaths.encode("team a/ä?#")).isEqualTo("team%20a/%C3%A4%3F%23");
    assertThat(VaultPaths.problem("secret/app")).isNull();
    assertThat(VaultPaths.problem("secret/../sys")).contains("'..'");
    assertThat(VaultPaths.problem("secret//x")).contains("empty segment");
    assertThat(VaultPaths.problem("/secret")).contains("starts with");
    assertThat(VaultPaths.problem("a%41")).contains("'%'");
  }

  @Test
  void sessionsAreDueAtTheRenewFraction() {
    var now = java.time.Instant.parse("2026-01-01T00:00:00Z");
    TokenSession s = TokenSession.of(1, VaultToken.of("t"), now, 60, true, false, 0.5);
    assertThat(s.due(now.plusSeconds(29))).isFalse();
    assertThat(s.due(now.plusSeconds(30))).isTrue();
    assertThat(s.expired(now.plusSeconds(60))).isTrue();
    assertThat(TokenSession.of(1, VaultToken.of("t"), now, 0, false, false, 0.5)
        .due(now.plusSeconds(1_000_000))).isFalse();
    assertThat(s.toString()).doesNotContain("t,").contains("generation=1");
  }
}
