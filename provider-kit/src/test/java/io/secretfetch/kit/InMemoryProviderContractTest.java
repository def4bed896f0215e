package io.secretfetch.kit;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The in-memory fake passes the same contract as the real providers it stands in for. */
class InMemoryProviderContractTest extends SecretProviderContract {
  private final InMemorySecretProvider memory = new InMemorySecretProvider();

  @Override
  protected SecretProvider provider() {
    return memory;
  }

  @Override
  protected SecretRef plant(String name, String value) {
    memory.put(name, value);
    return SecretRef.of(memory.id(), name);
  }

  @Override
  protected SecretRef plantVersion(SecretRef ref, String value) {
    String next = memory.put(ref.name(), value);
    return ref.withVersion(Integer.toString(Integer.parseInt(next) - 1));
  }

  @Override
  protected boolean supportsTenants() {
    return true;
  }

  @Override
  protected SecretRef plantForTenant(String tenantId, String name, String value) {
    memory.put(tenantId, name, value);
    return SecretRef.of(memory.id(), name);
  }

  @Override
  protected Map<SecretError, Provoker> provokers() {
    Map<SecretError, Provoker> claims = new LinkedHashMap<>();
    claims.put(SecretError.ACCESS_DENIED, p -> planted(n -> memory.deny(null, n)));
    claims.put(SecretError.DELETED, p -> planted(n -> memory.delete(null, n)));
    claims.put(SecretError.EXPIRED, p -> planted(n -> memory.expireAt(null, n, Instant.EPOCH)));
    claims.put(SecretError.VERSION_NOT_FOUND, p -> planted(n -> {}).withVersion("99"));
    claims.put(
        SecretError.PROVIDER_UNAVAILABLE,
        p -> planted(n -> memory.failNext(1, SecretError.PROVIDER_UNAVAILABLE)));
    return claims;
  }

  @Override
  protected boolean fetchAfterCloseFails() {
    return false; // nothing to release; documented as harmless
  }

  private SecretRef planted(java.util.function.Consumer<String> then) {
    SecretRef ref = plant(name("provoked"), secretValue());
    then.accept(ref.name());
    return ref;
  }
}
