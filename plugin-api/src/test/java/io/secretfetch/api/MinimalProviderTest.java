package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A provider that implements only id() and fetch() works through the resolver's every call. */
class MinimalProviderTest {
  static final String VALUE = "minimal-provider-value-7f3a";

  /** The afternoon's work: one id, one fetch. */
  static final class Minimal implements SecretProvider {
    final AtomicInteger fetches = new AtomicInteger();

    @Override
    public String id() {
      return "minimal";
    }

    @Override
    public SecretValue fetch(SecretRef ref, SecretContext context) {
      fetches.incrementAndGet();
      if (!ref.name().equals("present")) {
        throw new SecretException(SecretError.NOT_FOUND, ref, "no secret '" + ref.name() + "'",
            "Create it");
      }
      return SecretValue.ofText(new SecretMetadata(ref, "1", Instant.now(), null), VALUE);
    }
  }

  @Test
  void checkDefaultsToOneFetchPerDistinctRefAndReportsEachFailureOnItsOwn() {
    Minimal provider = new Minimal();
    SecretRef present = SecretRef.parse("minimal:present");
    SecretRef missing = SecretRef.parse("minimal:missing");
    Map<SecretRef, SecretCheck> checks = provider.check(List.of(present, missing, present),
        SecretContext.forTenant(null));
    assertThat(checks).containsOnlyKeys(present, missing);
    assertThat(checks.get(present).isOk()).isTrue();
    assertThat(checks.get(missing).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(provider.fetches).hasValue(2);
  }

  @Test
  void listDefaultsToNothingAndTheResolverServesTheProvider() {
    Minimal provider = new Minimal();
    assertThat(provider.list("", SecretContext.forTenant(null))).isEmpty();
    try (SecretResolver resolver = SecretResolver.builder().provider(provider).build();
        SecretValue v = resolver.resolve("minimal:present", SecretContext.forTenant(null))) {
      assertThat(v.reveal()).isEqualTo(VALUE);
    }
  }
}
