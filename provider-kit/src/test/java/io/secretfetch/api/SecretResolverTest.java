package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.kit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SecretResolverTest {
  private static final SecretContext CTX = SecretContext.system();

  private final MutableClock clock = new MutableClock();
  private final InMemorySecretProvider memory = new InMemorySecretProvider("memory", clock);

  private SecretResolver.Builder resolver() {
    return SecretResolver.builder()
        .provider(memory)
        .clock(clock)
        .executor(Runnable::run)
        .defaultTtl(Duration.ofSeconds(100));
  }

  private static String reveal(SecretResolver r, String ref) {
    try (SecretValue v = r.resolve(ref, CTX)) {
      return v.reveal();
    }
  }

  @Test
  void cachesTheActiveVersionAndCountsHitsAndMisses() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().build();
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(memory.fetchCount()).isEqualTo(1);
    assertThat(r.stats()).isEqualTo(new ResolverStats(1, 1, 1, 0, 0));
  }

  @Test
  void returnsAFreshCopyEachTimeSoClosingOneDoesNotWipeTheCache() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().build();
    SecretValue first = r.resolve("memory:db", CTX);
    first.close();
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
  }

  @Test
  void resolvedValueCarriesTheRequestedReferenceAndResolvedVersion() {
    memory.put("db", "a-value");
    memory.put("db", "b-value");
    SecretResolver r = resolver().build();
    try (SecretValue v = r.resolve("memory:db", CTX)) {
      assertThat(v.ref()).isEqualTo(SecretRef.of("memory", "db"));
      assertThat(v.version()).isEqualTo("2");
      assertThat(v.fetchedAt()).isEqualTo(clock.instant());
    }
  }

  @Test
  void refreshesInTheBackgroundOnceTheRefreshPointHasPassed() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().refreshAhead(0.8).build();
    reveal(r, "memory:db");
    memory.put("db", "v2-secret");
    clock.advance(Duration.ofSeconds(79));
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(memory.fetchCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    // Served from cache while the refresh runs, then the refreshed value without another fetch.
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(memory.fetchCount()).isEqualTo(2);
    assertThat(reveal(r, "memory:db")).isEqualTo("v2-secret");
    assertThat(memory.fetchCount()).isEqualTo(2);
  }

  @Test
  void reloadsAfterTheTimeToLive() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().ttl("memory", Duration.ofSeconds(10)).build();
    reveal(r, "memory:db");
    memory.put("db", "v2-secret");
    clock.advance(Duration.ofSeconds(11));
    assertThat(reveal(r, "memory:db")).isEqualTo("v2-secret");
  }

  @Test
  void zeroTimeToLiveDisablesCaching() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().ttl("memory", Duration.ZERO).build();
    reveal(r, "memory:db");
    reveal(r, "memory:db");
    assertThat(memory.fetchCount()).isEqualTo(2);
  }

  @Test
  void keepsAPinnedVersionUntilEvicted() {
    memory.put("db", "v1-secret");
    memory.put("db", "v2-secret");
    SecretResolver r = resolver().build();
    assertThat(reveal(r, "memory:db@1")).isEqualTo("v1-secret");
    clock.advance(Duration.ofDays(30));
    assertThat(reveal(r, "memory:db@1")).isEqualTo("v1-secret");
    assertThat(memory.fetchCount()).isEqualTo(1);
  }

  @Test
  void sweepDropsExpiredValuesNobodyAskedForAgain() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().ttl("memory", Duration.ofSeconds(10)).build();
    reveal(r, "memory:db");
    reveal(r, "memory:db@1");
    r.sweep();
    assertThat(r.cachedEntries()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(11));
    r.sweep();
    assertThat(r.cachedEntries()).as("kept for the stale-on-error window").isEqualTo(2);
    clock.advance(Duration.ofMinutes(5));
    r.sweep();
    assertThat(r.cachedEntries()).as("only the pinned version stays").isEqualTo(1);
  }

  @Test
  void secretsOwnExpiryShortensTheTimeToLive() {
    memory.put("db", "v1-secret");
    memory.expireAt(null, "db", clock.instant().plusSeconds(30));
    SecretResolver r = resolver().build();
    reveal(r, "memory:db");
    clock.advance(Duration.ofSeconds(31));
    assertThatThrownBy(() -> r.resolve("memory:db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class, e -> assertThat(e.error()).isEqualTo(SecretError.EXPIRED));
  }

  @Test
  void thousandConcurrentColdRequestsCauseOneProviderCall() throws Exception {
    memory.put("db", "v1-secret");
    CountDownLatch release = new CountDownLatch(1);
    memory.beforeFetch(() -> awaitQuietly(release));
    SecretResolver r = resolver().build();
    int n = 1000;
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  results.add(reveal(r, "memory:db"));
                } finally {
                  done.countDown();
                }
              });
      threads.add(t);
      t.start();
    }
    // Hold the one load until every thread is parked behind it, so any second load would show.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (threads.stream().filter(t -> t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.NEW).count() > 0
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(memory.fetchCount()).isEqualTo(1);
    release.countDown();
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(memory.fetchCount()).isEqualTo(1);
    assertThat(results).hasSize(n).containsOnly("v1-secret");
    assertThat(r.stats().loads()).isEqualTo(1);
  }

  @Test
  void servesTheLastValueForABoundedTimeWhileTheProviderIsDown() {
    memory.put("db", "v1-secret");
    SecretResolver r =
        resolver()
            .ttl("memory", Duration.ofSeconds(10))
            .staleOnError(Duration.ofSeconds(60), EnumSet.of(SecretError.PROVIDER_UNAVAILABLE))
            .build();
    reveal(r, "memory:db");
    memory.failAlways(SecretError.PROVIDER_UNAVAILABLE);
    clock.advance(Duration.ofSeconds(11));
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    clock.advance(Duration.ofSeconds(30));
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(r.stats().staleServes()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(31));
    assertThatThrownBy(() -> r.resolve("memory:db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE));
  }

  @Test
  void recoversWhenTheProviderComesBackWithinTheStaleWindow() {
    memory.put("db", "v1-secret");
    SecretResolver r =
        resolver()
            .ttl("memory", Duration.ofSeconds(10))
            .negativeTtl(Duration.ofSeconds(1))
            .build();
    reveal(r, "memory:db");
    memory.failAlways(SecretError.THROTTLED);
    clock.advance(Duration.ofSeconds(11));
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    memory.recover();
    memory.put("db", "v2-secret");
    clock.advance(Duration.ofSeconds(2));
    // The retry runs in the background; this read is still stale, the next one fresh.
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    assertThat(reveal(r, "memory:db")).isEqualTo("v2-secret");
  }

  @ParameterizedTest
  @EnumSource(
      value = SecretError.class,
      names = {"EXPIRED", "DELETED", "ACCESS_DENIED", "NOT_FOUND"})
  void neverServesStaleByDefaultWhenTheAnswerIsAboutTheSecret(SecretError error) {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().ttl("memory", Duration.ofSeconds(10)).build();
    reveal(r, "memory:db");
    memory.failAlways(error);
    clock.advance(Duration.ofSeconds(11));
    assertThatThrownBy(() -> r.resolve("memory:db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class, e -> assertThat(e.error()).isEqualTo(error));
    assertThat(r.stats().staleServes()).isZero();
  }

  @Test
  void aFailedRefreshAheadKeepsServingUntilTheTimeToLiveThenFails() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().ttl("memory", Duration.ofSeconds(10)).build();
    reveal(r, "memory:db");
    memory.failAlways(SecretError.ACCESS_DENIED);
    clock.advance(Duration.ofSeconds(9));
    assertThat(reveal(r, "memory:db")).isEqualTo("v1-secret");
    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> r.resolve("memory:db", CTX))
        .hasMessageContaining("ACCESS_DENIED");
  }

  @Test
  void notFoundIsRememberedOnlyBriefly() {
    SecretResolver r = resolver().negativeTtl(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> r.resolve("memory:db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
              assertThat(e.ref()).isEqualTo(SecretRef.of("memory", "db"));
            });
    memory.put("db", "bound-later");
    assertThatThrownBy(() -> r.resolve("memory:db", CTX)).isInstanceOf(SecretException.class);
    assertThat(memory.fetchCount()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1001));
    assertThat(reveal(r, "memory:db")).isEqualTo("bound-later");
    assertThat(r.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void invalidateMakesANewBindingVisibleAtOnce() {
    SecretResolver r = resolver().build();
    assertThatThrownBy(() -> r.resolve("memory:db", CTX)).isInstanceOf(SecretException.class);
    memory.put("db", "bound-later");
    r.invalidate(SecretRef.parse("memory:db"), CTX);
    assertThat(reveal(r, "memory:db")).isEqualTo("bound-later");
  }

  @Test
  void neverReturnsOneTenantsValueToAnother() {
    memory.put("tenant-a", "db", "value-of-a");
    memory.put("tenant-b", "db", "value-of-b");
    SecretResolver r = resolver().build();
    try (SecretValue a = r.resolve("memory:db", SecretContext.forTenant("tenant-a"));
        SecretValue b = r.resolve("memory:db", SecretContext.forTenant("tenant-b"))) {
      assertThat(a.reveal()).isEqualTo("value-of-a");
      assertThat(b.reveal()).isEqualTo("value-of-b");
    }
    assertThatThrownBy(() -> r.resolve("memory:db", SecretContext.forTenant("tenant-c")))
        .hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(() -> r.resolve("memory:db", CTX)).hasMessageContaining("NOT_FOUND");
  }

  @Test
  void registersEveryReturnedValueAndEachJsonStringWithTheMasker() {
    memory.put("token", "tok-3f9a1c2e");
    memory.put("db", "{\"user\":\"app-user-1\",\"password\":\"pw-9d8c7b6a\",\"port\":5432}");
    SecretMasker masker = new SecretMasker();
    SecretResolver r = resolver().masker(masker).build();
    assertThat(r.masker()).isSameAs(masker);
    reveal(r, "memory:token");
    reveal(r, "memory:db");
    String masked = masker.mask("t=tok-3f9a1c2e u=app-user-1 p=pw-9d8c7b6a");
    assertThat(masked).doesNotContain("tok-3f9a1c2e", "app-user-1", "pw-9d8c7b6a");
  }

  @Test
  void registersWithTheSharedMaskerByDefaultSoLogsAreMasked() {
    memory.put("token", "tok-shared-5e6f7a8b");
    SecretResolver r = resolver().build();
    assertThat(r.masker()).isSameAs(SecretMasker.shared());
    reveal(r, "memory:token");
    assertThat(SecretMasker.shared().mask("t=tok-shared-5e6f7a8b")).isEqualTo("t=***");
  }

  @Test
  void selectsJsonFieldsFromOneCachedFetch() {
    memory.put("db", "{\"user\":\"app\",\"password\":\"pw-9d8c7b6a\"}");
    SecretResolver r = resolver().build();
    assertThat(reveal(r, "memory:db#password")).isEqualTo("pw-9d8c7b6a");
    assertThat(reveal(r, "memory:db#user")).isEqualTo("app");
    try (SecretValue v = r.resolve("memory:db#password", CTX)) {
      assertThat(v.ref()).isEqualTo(new SecretRef("memory", "db", null, "password"));
      assertThat(v.toString()).isEqualTo("SecretValue[memory:db@1#password, ***]");
    }
    assertThat(memory.fetchCount()).isEqualTo(1);
    assertThatThrownBy(() -> r.resolve("memory:db#pass", CTX))
        .hasMessageContaining("no field 'pass'")
        .hasMessageNotContaining("pw-9d8c7b6a");
  }

  @Test
  void bareNamesGoToTheDefaultProvider() {
    memory.put("db", "v1-secret");
    InMemorySecretProvider other = new InMemorySecretProvider("other", clock);
    SecretResolver r = resolver().provider(other).defaultProvider("memory").build();
    assertThat(reveal(r, "db")).isEqualTo("v1-secret");
    assertThat(r.normalize(SecretRef.parse("db"))).isEqualTo(SecretRef.of("memory", "db"));
  }

  @Test
  void bareNameWithoutADefaultProviderIsAConfigurationError() {
    SecretResolver r =
        resolver().provider(new InMemorySecretProvider("other", clock)).build();
    assertThatThrownBy(() -> r.resolve("db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
              assertThat(e.getMessage()).contains("[memory, other]");
            });
  }

  @Test
  void unknownProviderNamesTheConfiguredOnes() {
    SecretResolver r = resolver().build();
    assertThatThrownBy(() -> r.resolve("vault:db", CTX))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
              assertThat(e.getMessage()).contains("no secret provider 'vault'").contains("[memory]");
            });
  }

  @Test
  void twoProvidersWithOneIdFailNamingBothClasses() {
    SecretProvider impostor = new FailingProvider("memory");
    assertThatThrownBy(() -> resolver().provider(impostor).build())
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
              assertThat(e.getMessage())
                  .contains(InMemorySecretProvider.class.getName())
                  .contains(FailingProvider.class.getName());
            });
  }

  @Test
  void buildsConfiguredProvidersThroughServiceLoader() {
    SecretResolver r =
        SecretResolver.builder()
            .provider(ProviderConfig.of("memory", Map.of("secret.api", "from-config-1")))
            .build();
    assertThat(r.providerIds()).containsExactly("memory");
    assertThat(reveal(r, "memory:api")).isEqualTo("from-config-1");
  }

  @Test
  void aProviderResolvesItsBootstrapSecretsThroughProvidersBuiltBeforeIt() {
    memory.put("aws-keys", "AKIA-bootstrap-1");
    SecretResolver r =
        resolver()
            .provider(
                new ProviderConfig(
                    "downstream", "memory", Map.of("secret.creds", "ref:memory:aws-keys")))
            .build();
    assertThat(reveal(r, "downstream:creds")).isEqualTo("AKIA-bootstrap-1");
  }

  @Test
  void aFactorySeesOnlyTheProvidersConfiguredBeforeIt() {
    assertThatThrownBy(
            () ->
                resolver()
                    .provider(new ProviderConfig(
                        "early", "memory", Map.of("secret.creds", "ref:late:aws-keys")))
                    .provider(new ProviderConfig("late", "memory", Map.of()))
                    .build())
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
              assertThat(e.getMessage())
                  .contains("provider 'early' needs a bootstrap secret from provider 'late'")
                  .contains("configured before: [memory]")
                  .contains("Configure 'late' before 'early'");
            });
  }

  @Test
  void twoFactoriesOfOneTypeFailNamingBothClasses() {
    assertThatThrownBy(
            () ->
                SecretResolver.builder()
                    .factory(new ImpostorFactory())
                    .provider(ProviderConfig.of("memory", Map.of()))
                    .build())
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
              assertThat(e.getMessage())
                  .contains("io.secretfetch.kit.InMemorySecretProviderFactory")
                  .contains(ImpostorFactory.class.getName());
            });
  }

  @Test
  void unknownProviderTypeSaysWhichJarIsMissing() {
    assertThatThrownBy(
            () -> SecretResolver.builder().provider(ProviderConfig.of("vault", Map.of())).build())
        .hasMessageContaining("type 'vault'")
        .hasMessageContaining("secret-fetch-provider-vault");
  }

  @Test
  void checkBatchesPerProviderAndAnswersEveryReference() {
    memory.put("a", "{\"k\":\"v\"}");
    memory.put("b", "vb-value");
    InMemorySecretProvider other = new InMemorySecretProvider("other", clock);
    other.put("c", "vc-value");
    SecretResolver r = resolver().provider(other).build();
    List<SecretRef> refs =
        List.of(
            SecretRef.parse("memory:a#k"),
            SecretRef.parse("memory:a"),
            SecretRef.parse("memory:b@7"),
            SecretRef.parse("other:c"),
            SecretRef.parse("other:missing"),
            SecretRef.parse("nowhere:x"));
    Map<SecretRef, SecretCheck> results = r.check(refs, CTX);
    assertThat(results.keySet()).containsExactlyElementsOf(refs);
    assertThat(results.get(refs.get(0)).isOk()).isTrue();
    assertThat(results.get(refs.get(1)).isOk()).isTrue();
    assertThat(results.get(refs.get(2)).error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(results.get(refs.get(3)).isOk()).isTrue();
    assertThat(results.get(refs.get(4)).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(results.get(refs.get(5)).error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(memory.checkCount()).isEqualTo(1);
    assertThat(other.checkCount()).isEqualTo(1);
    assertThat(memory.fetchCount()).isZero();
  }

  @Test
  void aProviderWhoseCheckFailsAsAWholeFailsEachOfItsReferences() {
    memory.failAlways(SecretError.PROVIDER_UNAVAILABLE);
    SecretResolver r = resolver().build();
    Map<SecretRef, SecretCheck> results =
        r.check(List.of(SecretRef.parse("memory:a"), SecretRef.parse("memory:b")), CTX);
    assertThat(results.values())
        .allSatisfy(c -> assertThat(c.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE));
  }

  @Test
  void listsNamesThroughTheProvider() {
    memory.put("team/a", "x-value");
    memory.put("team/b", "y-value");
    memory.put("other", "z-value");
    SecretResolver r = resolver().build();
    assertThat(r.list("memory", "team/", CTX))
        .extracting(SecretSummary::name)
        .containsExactly("team/a", "team/b");
  }

  @Test
  void aProviderBugBecomesAValueFreeProviderError() {
    String canary = "canary-in-provider-bug-1234";
    SecretResolver r =
        SecretResolver.builder()
            .provider(new FailingProvider("bug", new IllegalStateException("oops " + canary)))
            .build();
    assertThatThrownBy(() -> r.resolve("bug:x", CTX))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
              assertThat(e.getMessage())
                  .contains("IllegalStateException")
                  .doesNotContain(canary);
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void closeClosesProvidersAndEmptiesTheCache() {
    memory.put("db", "v1-secret");
    AtomicBoolean closed = new AtomicBoolean();
    FailingProvider other =
        new FailingProvider("other") {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    SecretResolver r = resolver().provider(other).build();
    reveal(r, "memory:db");
    r.close();
    assertThat(closed).isTrue();
    reveal(r, "memory:db");
    assertThat(memory.fetchCount()).isEqualTo(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A provider that throws what it is given, for error paths. */
  static class FailingProvider implements SecretProvider {
    private final String id;
    private final RuntimeException failure;

    FailingProvider(String id) {
      this(id, new SecretException(SecretError.NOT_FOUND, null, "nothing here"));
    }

    FailingProvider(String id, RuntimeException failure) {
      this.id = id;
      this.failure = failure;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public SecretValue fetch(SecretRef ref, SecretContext context) {
      throw failure;
    }

    @Override
    public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
      throw failure;
    }

    @Override
    public List<SecretSummary> list(String prefix, SecretContext context) {
      return List.of();
    }
  }

  /** A second factory claiming the type {@code memory}. */
  static final class ImpostorFactory implements SecretProviderFactory {
    @Override
    public String type() {
      return "memory";
    }

    @Override
    public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
      return new FailingProvider(config.id());
    }
  }

  @Test
  void fetchTimeComesFromTheProvider() {
    memory.put("db", "v1-secret");
    SecretResolver r = resolver().build();
    clock.advance(Duration.ofSeconds(5));
    try (SecretValue v = r.resolve("memory:db", CTX)) {
      assertThat(v.fetchedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    }
  }

  @Test
  void shortValuesAreRegisteredUnderTheirReferenceNeverTheirValue() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SecretMasker.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      SecretMasker masker = SecretMasker.builder().minimumLength(6).build();
      memory.put("pin", "4711");
      memory.put("login", "{\"user\":\"root\",\"password\":\"long-enough-pw\"}");
      SecretResolver r = resolver().masker(masker).build();
      reveal(r, "memory:pin");
      reveal(r, "memory:login#password");
      assertThat(appender.list).extracting(e -> e.getFormattedMessage()).containsExactlyInAnyOrder(
          "secret memory:pin@1 is shorter than the free-text minimum of 6; it is masked only where"
              + " it stands as a whole value",
          "secret memory:login@1#user is shorter than the free-text minimum of 6; it is masked"
              + " only where it stands as a whole value");
      assertThat(masker.isWholeSecret("4711")).isTrue();
      assertThat(masker.isWholeSecret("root")).isTrue();
      assertThat(masker.containsSecret("password: long-enough-pw")).isTrue();
    } finally {
      logger.detachAppender(appender);
    }
  }
}
