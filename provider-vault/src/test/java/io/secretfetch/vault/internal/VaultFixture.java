package io.secretfetch.vault.internal;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.kit.MutableClock;
import io.secretfetch.vault.fake.FakeVault;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake Vault, a platform store, a bootstrap resolver and test collaborators (a clock moved by
 * hand, a sleeper that records instead of waiting, fixed jitter, an empty environment).
 */
final class VaultFixture implements AutoCloseable {
  final MutableClock clock = new MutableClock();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final Map<String, String> environment = new HashMap<>();
  final List<String> environmentReads = new CopyOnWriteArrayList<>();
  final InMemorySecretProvider platform = new InMemorySecretProvider("platform", clock);
  final SecretResolver bootstrap;
  final FakeVault vault;
  volatile Sleeper sleeper = d -> sleeps.add(d);

  VaultFixture() throws Exception {
    this(null);
  }

  VaultFixture(FakeVault vault) throws Exception {
    this.vault = vault != null ? vault : FakeVault.start(clock);
    this.bootstrap = SecretResolver.builder().provider(platform).clock(clock)
        .defaultTtl(Duration.ofMinutes(5)).build();
  }

  Collaborators collaborators() {
    return new Collaborators(clock, d -> sleeper.sleep(d), () -> 0.5, name -> {
      environmentReads.add(name);
      return environment.get(name);
    });
  }

  /** Settings for a token-authenticated provider with fast retries; override as needed. */
  Map<String, String> tokenSettings(String token) {
    Map<String, String> s = new HashMap<>();
    s.put("address", vault.address());
    s.put("token", token);
    s.put("retry.max-attempts", "3");
    s.put("retry.initial-backoff", "PT0.1S");
    s.put("retry.max-backoff", "PT1S");
    return s;
  }

  VaultKvProvider provider(Map<String, String> settings) {
    return (VaultKvProvider) VaultProviders.create(
        new ProviderConfig("vault", "vault", settings), bootstrap, collaborators());
  }

  @Override
  public void close() {
    vault.close();
    bootstrap.close();
  }
}
