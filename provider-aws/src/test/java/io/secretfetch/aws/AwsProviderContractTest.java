package io.secretfetch.aws;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.aws.testing.FakeAws.Fault;
import io.secretfetch.kit.SecretProviderContract;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** The {@code aws} provider against the loopback Secrets Manager passes the provider contract. */
class AwsProviderContractTest extends SecretProviderContract {
  private final Fixture f = new Fixture();

  @AfterEach
  void stopFake() {
    f.close();
  }

  @Override
  protected SecretProvider provider() {
    return f.provider();
  }

  @Override
  protected SecretRef plant(String name, String value) {
    f.aws.putString(name, value);
    return SecretRef.of("aws", name);
  }

  @Override
  protected SecretRef plantVersion(SecretRef ref, String value) throws Exception {
    String before;
    try (var current = subject().fetch(ref, io.secretfetch.api.SecretContext.system())) {
      before = current.version();
    }
    f.aws.putString(ref.name(), value);
    return ref.withVersion(before);
  }

  @Override
  protected Map<SecretError, Provoker> provokers() {
    Map<SecretError, Provoker> claims = new LinkedHashMap<>();
    claims.put(SecretError.ACCESS_DENIED, p -> planted(f.aws::deny));
    claims.put(SecretError.DELETED, p -> planted(f.aws::scheduleDeletion));
    claims.put(SecretError.DECRYPTION_FAILED, p -> planted(f.aws::kmsFails));
    claims.put(
        SecretError.VERSION_NOT_FOUND,
        p -> planted(n -> {}).withVersion("a1b2c3d4-5678-90ab-cdef-000000000000"));
    // Last: the fake keeps failing every request from here on.
    claims.put(
        SecretError.PROVIDER_UNAVAILABLE,
        p -> planted(n -> f.aws.failAlways(Fault.error(503, null, "unavailable"))));
    return claims;
  }

  private SecretRef planted(Consumer<String> then) {
    SecretRef ref = plant(name("provoked"), secretValue());
    then.accept(ref.name());
    return ref;
  }
}
