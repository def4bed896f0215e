package io.secretfetch.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The behaviour every {@link SecretProvider} must show, as an abstract JUnit 5 class. A provider's
 * tests extend it and supply the fixture; every test here then runs against that provider.
 *
 * <p>What an implementor supplies:
 *
 * <ul>
 *   <li>{@link #provider()}: the provider under test, built once per test (it is closed after).
 *   <li>{@link #plant(String, String)}: stores a secret in the default tenant and returns the ref
 *       that reads its active version (no version, no field).
 *   <li>{@link #plantVersion(SecretRef, String)}: adds a new active version and returns the pinned
 *       ref of the version it replaced; the default returns null, which skips the version tests.
 *   <li>{@link #supportsTenants()} and {@link #plantForTenant}: tenancy, skipped by default.
 *   <li>{@link #provokers()}: for each {@link SecretError} the provider claims to map, a way to
 *       provoke it, returning the ref whose fetch must fail with that code.
 *   <li>{@link #revealed} and {@link #missing}: for providers that wrap values or need names
 *       under a mount; the defaults fit most.
 *   <li>{@link #fetchAfterCloseFails()}: whether fetch after close must throw (true) or may still
 *       answer (false: documented as harmless, e.g. an in-memory provider).
 * </ul>
 *
 * <p>What it checks: fetch returns the planted value with its ref and a version; {@code check}
 * gives one result per distinct ref (duplicates collapse, missing refs are results, not throws);
 * versions (active vs pinned, an old pinned version still reads, {@code immutable} holds for pins);
 * every claimed error mapping; tenant isolation; {@code close} is idempotent; and no planted value
 * appears in any exception message, any {@code toString} or any Logback log line during the test.
 */
public abstract class SecretProviderContract {

  /** A ref-returning action that makes the next fetch of that ref fail with one code. */
  @FunctionalInterface
  public interface Provoker {
    SecretRef provoke(SecretProvider provider) throws Exception;
  }

  private final List<String> planted = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private SecretProvider provider;

  /** The provider under test; called once per test. */
  protected abstract SecretProvider provider() throws Exception;

  /** Stores {@code value} under {@code name} in the default tenant; returns the unpinned ref. */
  protected abstract SecretRef plant(String name, String value) throws Exception;

  /**
   * Makes {@code value} the new active version of {@code ref}'s secret and returns the pinned ref
   * of the version that was active before; null when the provider has no versions.
   */
  protected SecretRef plantVersion(SecretRef ref, String value) throws Exception {
    return null;
  }

  protected boolean supportsTenants() {
    return false;
  }

  /** Stores {@code value} for {@code tenantId}; only called when {@link #supportsTenants()}. */
  protected SecretRef plantForTenant(String tenantId, String name, String value) throws Exception {
    throw new UnsupportedOperationException("override plantForTenant with supportsTenants()");
  }

  /** The error codes this provider maps, each with a way to provoke it. */
  protected Map<SecretError, Provoker> provokers() {
    return Map.of();
  }

  protected boolean fetchAfterCloseFails() {
    return true;
  }

  /**
   * The planted text as this provider returns it; the default is {@link SecretValue#reveal()}.
   * A provider that wraps values (Vault's data map) unwraps here.
   */
  protected String revealed(SecretValue value) {
    return value.reveal();
  }

  /** A ref next to {@code planted} that names no secret (same provider, mount and tenant). */
  protected SecretRef missing(SecretRef planted) {
    return SecretRef.of(planted.provider(), planted.name() + "-missing");
  }

  /** A fresh value no other test or fixture uses, recorded so the leak checks look for it. */
  protected final String secretValue() {
    String v = "canary-" + UUID.randomUUID();
    planted.add(v);
    return v;
  }

  /** The provider under test for this run (built lazily by {@link #provider()}). */
  protected final SecretProvider subject() throws Exception {
    if (provider == null) {
      provider = provider();
    }
    return provider;
  }

  @BeforeEach
  final void captureLogs() {
    Logger root = rootLogger();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  final void noValueInLogsAndClose() throws Exception {
    rootLogger().detachAppender(logs);
    try {
      for (ILoggingEvent e : logs.list) {
        String line = e.getFormattedMessage() + " " + throwableText(e);
        assertNoValue(line, "log line of " + e.getLoggerName());
      }
    } finally {
      if (provider != null) {
        provider.close();
      }
    }
  }

  @Test
  void fetchReturnsThePlantedValueWithItsRefAndAVersion() throws Exception {
    String value = secretValue();
    SecretRef ref = plant(name("fetch"), value);
    try (SecretValue got = subject().fetch(ref, SecretContext.system())) {
      assertThat(revealed(got)).isEqualTo(value);
      assertThat(got.ref().name()).isEqualTo(ref.name());
      assertThat(got.version()).as("resolved version").isNotBlank();
      assertNoValue(got.toString(), "SecretValue.toString");
      assertNoValue(got.metadata().toString(), "SecretMetadata.toString");
    }
    assertNoValue(subject().toString(), "provider toString");
  }

  @Test
  void checkGivesOneResultPerDistinctRefInOrderWithMissingOnesAsResults() throws Exception {
    SecretRef a = plant(name("a"), secretValue());
    SecretRef b = plant(name("b"), secretValue());
    SecretRef missing = missing(a);
    Map<SecretRef, SecretCheck> results =
        subject().check(List.of(b, missing, a, b, missing), SecretContext.system());
    assertThat(results.keySet()).containsExactly(b, missing, a);
    assertThat(results.get(a).isOk()).isTrue();
    assertThat(results.get(b).isOk()).isTrue();
    assertThat(results.get(missing).isOk()).isFalse();
    assertThat(results.get(missing).error()).isEqualTo(SecretError.NOT_FOUND);
    results.values().forEach(c -> assertNoValue(String.valueOf(c), "SecretCheck.toString"));
  }

  @Test
  void aMissingSecretIsNotFoundNamingTheRef() throws Exception {
    SecretRef ref = plant(name("present"), secretValue());
    SecretRef missing = missing(ref);
    assertThatThrownBy(() -> subject().fetch(missing, SecretContext.system()))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
              assertThat(e.getMessage()).contains(missing.name());
              assertNoValue(e.toString(), "exception");
            });
  }

  @Test
  void activeAndPinnedVersionsReadTheirOwnValues() throws Exception {
    String first = secretValue();
    String second = secretValue();
    SecretRef ref = plant(name("versions"), first);
    SecretRef old = plantVersion(ref, second);
    assumeThat(old).as("provider has versions").isNotNull();
    assertThat(old.pinned()).isTrue();
    try (SecretValue active = subject().fetch(ref, SecretContext.system());
        SecretValue pinned = subject().fetch(old, SecretContext.system())) {
      assertThat(revealed(active)).isEqualTo(second);
      assertThat(revealed(pinned)).isEqualTo(first);
      assertThat(pinned.version()).isEqualTo(old.version());
      assertThat(active.version()).isNotEqualTo(old.version());
    }
    assertThat(subject().immutable(old)).as("immutable(pinned)").isTrue();
    assertThat(subject().immutable(ref)).as("immutable(active)").isFalse();
  }

  @Test
  void everyClaimedErrorMappingHolds() throws Exception {
    assumeThat(provokers()).as("provider claims error mappings").isNotEmpty();
    for (Map.Entry<SecretError, Provoker> claim : provokers().entrySet()) {
      SecretRef ref = claim.getValue().provoke(subject());
      assertThatThrownBy(() -> subject().fetch(ref, SecretContext.system()))
          .as("fetch of %s must fail with %s", ref, claim.getKey())
          .isInstanceOfSatisfying(
              SecretException.class,
              e -> {
                assertThat(e.error()).isEqualTo(claim.getKey());
                assertNoValue(e.toString(), "exception " + claim.getKey());
              });
    }
  }

  @Test
  void aTenantCannotReadAnotherTenantsSecret() throws Exception {
    assumeThat(supportsTenants()).as("provider supports tenants").isTrue();
    String valueA = secretValue();
    SecretRef a = plantForTenant("tenant-a", name("tenant"), valueA);
    try (SecretValue own = subject().fetch(a, SecretContext.forTenant("tenant-a"))) {
      assertThat(revealed(own)).isEqualTo(valueA);
    }
    assertThatThrownBy(() -> subject().fetch(a, SecretContext.forTenant("tenant-b")))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isIn(SecretError.NOT_FOUND, SecretError.ACCESS_DENIED);
              assertNoValue(e.toString(), "cross-tenant exception");
            });
  }

  @Test
  void closeIsIdempotentAndFetchAfterCloseFailsClearly() throws Exception {
    SecretRef ref = plant(name("close"), secretValue());
    SecretProvider p = subject();
    p.close();
    p.close();
    if (fetchAfterCloseFails()) {
      assertThatThrownBy(() -> p.fetch(ref, SecretContext.system()))
          .as("fetch after close")
          .isInstanceOfAny(SecretException.class, IllegalStateException.class)
          .satisfies(e -> assertNoValue(e.toString(), "exception after close"));
    }
  }

  /** Fails when {@code text} contains any value planted in this test. */
  protected final void assertNoValue(String text, String where) {
    for (String v : planted) {
      assertThat(text).as("%s must not contain a planted value", where).doesNotContain(v);
    }
  }

  /** A name unique to this test run, so tests against a shared fake do not collide. */
  protected static String name(String base) {
    return "contract/" + base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Logger rootLogger() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    return ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static String throwableText(ILoggingEvent e) {
    StringBuilder out = new StringBuilder();
    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
    }
    return out.toString();
  }

}
