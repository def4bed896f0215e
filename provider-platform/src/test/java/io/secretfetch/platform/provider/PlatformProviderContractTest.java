package io.secretfetch.platform.provider;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.kit.MutableClock;
import io.secretfetch.kit.SecretProviderContract;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.Rotation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract for the {@code platform} provider in local mode, over a fresh embedded H2
 * store per test (the provider owns the store and closes it). Versions are the store's numbers.
 */
class PlatformProviderContractTest extends SecretProviderContract {
  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private PlatformSecretStore store;

  private PlatformSecretStore store() {
    if (store == null) {
      store =
          PlatformSecretStore.builder()
              .jdbcUrl(PlatformSecretStore.h2FileUrl(tmp.resolve("store")))
              .masterKey(MasterKey.generate())
              .clock(clock)
              .build();
    }
    return store;
  }

  @Override
  protected SecretProvider provider() {
    return new PlatformSecretProvider("platform", store(), true);
  }

  @Override
  protected SecretRef plant(String name, String value) {
    return plantIn(SecretContext.system(), name, value);
  }

  @Override
  protected SecretRef plantVersion(SecretRef ref, String value) {
    int before = store().rotate(SecretContext.system(), ref.name(), Rotation.to(value)).version() - 1;
    return ref.withVersion(Integer.toString(before));
  }

  @Override
  protected boolean supportsTenants() {
    return true;
  }

  @Override
  protected SecretRef plantForTenant(String tenantId, String name, String value) {
    return plantIn(SecretContext.forTenant(tenantId), name, value);
  }

  @Override
  protected Map<SecretError, Provoker> provokers() {
    return Map.of(
        SecretError.VERSION_NOT_FOUND,
        p -> plant(name("pinned"), secretValue()).withVersion("9"),
        SecretError.DELETED,
        p -> {
          SecretRef ref = plant(name("deleted"), secretValue());
          store().delete(SecretContext.system(), ref.name());
          return ref;
        },
        SecretError.EXPIRED,
        p -> {
          String name = name("expiring");
          store().create(SecretContext.system(), NewSecret.builder(name).value(secretValue())
              .expiresAt(clock.instant().plus(Duration.ofMinutes(1))).build());
          clock.advance(Duration.ofMinutes(2));
          return SecretRef.of("platform", name);
        });
  }

  private SecretRef plantIn(SecretContext context, String name, String value) {
    store().create(context, NewSecret.builder(name).value(value).build());
    return SecretRef.of("platform", name);
  }
}
