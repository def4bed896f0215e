package io.secretfetch.vault.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.SecretProviderContract;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** The {@code vault} provider (KV v2) against the fake Vault passes the provider contract. */
class VaultProviderContractTest extends SecretProviderContract {
  private final VaultFixture f;
  private final String token;

  VaultProviderContractTest() throws Exception {
    f = new VaultFixture();
    f.vault.mount("secret", 2);
    token = f.vault.issueToken(Duration.ZERO, Duration.ZERO, false);
  }

  @AfterEach
  void stopFake() {
    f.close();
  }

  @Override
  protected SecretProvider provider() {
    Map<String, String> s = f.tokenSettings(token);
    s.put("mounts", "secret=2");
    return f.provider(s);
  }

  @Override
  protected SecretRef plant(String name, String value) {
    String path = "secret/" + name;
    f.vault.put(path, Map.of("value", value));
    return SecretRef.of("vault", path);
  }

  @Override
  protected SecretRef plantVersion(SecretRef ref, String value) {
    int version = f.vault.put(ref.name(), Map.of("value", value));
    return ref.withVersion(Integer.toString(version - 1));
  }

  @Override
  protected String revealed(SecretValue value) {
    return value.revealJson().path("value").asText();
  }

  @Override
  protected Map<SecretError, Provoker> provokers() {
    Map<SecretError, Provoker> claims = new LinkedHashMap<>();
    claims.put(
        SecretError.ACCESS_DENIED,
        p -> planted(path -> f.vault.deny(path.replaceFirst("^secret/", "secret/data/"))));
    claims.put(SecretError.DELETED, p -> planted(path -> f.vault.deleteVersion(path, 1)));
    claims.put(SecretError.VERSION_NOT_FOUND, p -> planted(path -> {}).withVersion("99"));
    // Last: the vault stays sealed from here on.
    claims.put(SecretError.PROVIDER_UNAVAILABLE, p -> planted(path -> f.vault.sealed(true)));
    return claims;
  }

  private SecretRef planted(Consumer<String> then) {
    SecretRef ref = plant(name("provoked"), secretValue());
    then.accept(ref.name());
    return ref;
  }
}
