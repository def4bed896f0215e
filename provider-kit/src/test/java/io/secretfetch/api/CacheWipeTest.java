package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.CacheEntry.Loaded;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.kit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every value the resolver's cache drops has its plaintext zeroed, and no reader sees it half-wiped. */
class CacheWipeTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String JSON = "{\"user\":\"app-user-1\",\"password\":\"pa55word-zz\"}";

  private final MutableClock clock = new MutableClock();
  private final InMemorySecretProvider memory = new InMemorySecretProvider("memory", clock);
  private final List<SecretResolver> resolvers = new ArrayList<>();

  @AfterEach
  void closeResolvers() {
    resolvers.forEach(SecretResolver::close);
  }

  private SecretResolver.Builder resolver() {
    return SecretResolver.builder()
        .provider(memory)
        .masker(new SecretMasker())
        .clock(clock)
        .executor(Runnable::run)
        .defaultTtl(Duration.ofSeconds(100));
  }

  private SecretResolver build(SecretResolver.Builder builder) {
    SecretResolver r = builder.build();
    resolvers.add(r);
    return r;
  }

  private static String reveal(SecretResolver r, String ref) {
    try (SecretValue v = r.resolve(ref, CTX)) {
      return v.reveal();
    }
  }

  private static Loaded entry(SecretResolver r, String ref) {
    return (Loaded) r.cachedEntry(SecretRef.parse(ref), CTX);
  }

  private static void assertWiped(Loaded entry) {
    assertThat(entry.retired()).isTrue();
    assertThat(entry.ownedBytesForTest()).containsOnly((byte) 0);
    for (byte[] field : entry.ownedFieldsForTest()) {
      assertThat(field).containsOnly((byte) 0);
    }
  }

  private static void assertIntact(Loaded entry) {
    assertThat(entry.retired()).isFalse();
    assertThat(new String(entry.ownedBytesForTest(), StandardCharsets.UTF_8))
        .isNotBlank()
        .doesNotContain("\0");
  }

  @Test
  void invalidateWipesTheValueAndItsFields() {
    memory.put("db", JSON);
    SecretResolver r = build(resolver());
    assertThat(reveal(r, "memory:db#password")).isEqualTo("pa55word-zz");
    Loaded old = entry(r, "memory:db");
    assertThat(old.ownedFieldsForTest()).hasSize(1);
    assertIntact(old);

    r.invalidate(SecretRef.parse("memory:db"), CTX);

    assertWiped(old);
    assertThat(reveal(r, "memory:db#user")).isEqualTo("app-user-1");
  }

  @Test
  void aValueHandedOutBeforeTheWipeKeepsItsOwnCopy() {
    memory.put("db", "first-value");
    SecretResolver r = build(resolver());
    try (SecretValue before = r.resolve("memory:db", CTX)) {
      r.invalidateAll();
      assertThat(before.reveal()).isEqualTo("first-value");
    }
  }

  @Test
  void sizeEvictionWipesEveryEvictedValue() {
    SecretResolver r = build(resolver().maximumSize(2));
    List<Loaded> seen = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      memory.put("s" + i, "value-number-" + i);
      assertThat(reveal(r, "memory:s" + i)).isEqualTo("value-number-" + i);
      Loaded e = entry(r, "memory:s" + i);
      if (e != null) {
        seen.add(e);
      }
      r.cleanUp();
    }
    r.cleanUp();
    assertThat(r.cachedEntries()).isLessThanOrEqualTo(2);
    int wiped = 0;
    for (Loaded e : seen) {
      boolean cached = r.cachedEntry(e.metadata.ref(), CTX) == e;
      if (cached) {
        assertIntact(e);
      } else {
        assertWiped(e);
        wiped++;
      }
    }
    assertThat(wiped).isGreaterThanOrEqualTo(seen.size() - 2).isPositive();
  }

  @Test
  void aCacheOfSizeZeroStillAnswersAndKeepsNothing() {
    memory.put("db", "zero-cache-value");
    SecretResolver r = build(resolver().maximumSize(0));
    for (int i = 0; i < 3; i++) {
      assertThat(reveal(r, "memory:db")).isEqualTo("zero-cache-value");
      r.cleanUp();
    }
    memory.put("js", JSON);
    assertThat(reveal(r, "memory:js#user")).isEqualTo("app-user-1");
    r.cleanUp();
    assertThat(r.cachedEntries()).isZero();
  }

  @Test
  void closeWipesEveryCachedValue() {
    memory.put("a", "value-of-a-1");
    memory.put("b", JSON);
    SecretResolver r = build(resolver());
    reveal(r, "memory:a");
    reveal(r, "memory:b#user");
    Loaded a = entry(r, "memory:a");
    Loaded b = entry(r, "memory:b");

    r.close();

    assertWiped(a);
    assertWiped(b);
  }

  @Test
  void aRefreshThatReplacesTheValueWipesTheOldOne() {
    memory.put("db", "v1-value-old");
    SecretResolver r = build(resolver().refreshAhead(0.5));
    reveal(r, "memory:db");
    Loaded old = entry(r, "memory:db");
    memory.put("db", "v2-value-new");
    clock.advance(Duration.ofSeconds(60));

    reveal(r, "memory:db"); // past the refresh point: refreshes (on this thread, see executor)

    Loaded current = entry(r, "memory:db");
    assertThat(current).isNotSameAs(old);
    assertWiped(old);
    assertIntact(current);
    assertThat(reveal(r, "memory:db")).isEqualTo("v2-value-new");
  }

  @Test
  void aFailedRefreshKeepsServingFromACopyAndWipesTheReplacedEntry() {
    memory.put("db", JSON);
    SecretResolver r = build(resolver().refreshAhead(0.5));
    assertThat(reveal(r, "memory:db#user")).isEqualTo("app-user-1");
    Loaded old = entry(r, "memory:db");
    memory.failNext(1, SecretError.PROVIDER_UNAVAILABLE);
    clock.advance(Duration.ofSeconds(60));

    assertThat(reveal(r, "memory:db#user")).isEqualTo("app-user-1");

    Loaded current = entry(r, "memory:db");
    assertThat(current).isNotSameAs(old);
    assertThat(current.refreshFailure).isNotNull();
    assertWiped(old);
    assertIntact(current);
    assertThat(reveal(r, "memory:db#password")).isEqualTo("pa55word-zz");
  }

  @Test
  void theExpiryCheckedOnReadAndTheSweepWipeWhatTheyDrop() {
    memory.put("a", "expiring-a-1");
    memory.put("b", "expiring-b-1");
    SecretResolver r = build(resolver()
        .defaultTtl(Duration.ofSeconds(10))
        .staleOnError(Duration.ZERO, Set.of()));
    reveal(r, "memory:a");
    reveal(r, "memory:b");
    Loaded a = entry(r, "memory:a");
    Loaded b = entry(r, "memory:b");
    clock.advance(Duration.ofSeconds(11));

    assertThat(reveal(r, "memory:a")).isEqualTo("expiring-a-1"); // dropped by hand, loaded again
    assertWiped(a);
    r.sweep();
    assertWiped(b);
    assertThat(r.cachedEntry(SecretRef.parse("memory:b"), CTX)).isNull();
  }

  /**
   * Readers hammer one key (whole value and a field) while another thread invalidates it over and
   * over: every value read is exactly right, never zeros, never half of each.
   */
  @Test
  void readersRacingInvalidationAlwaysReadTheWholeValue() throws Exception {
    // A long value makes each copy slow enough for wipes to land in the middle of some of them.
    String big = "{\"password\":\"pa55word-zz\",\"filler\":\"" + "0123456789abcdef".repeat(1024)
        + "\"}";
    memory.put("db", big);
    SecretResolver r = build(resolver());
    int readers = 3;
    int readsEach = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch readersDone = new CountDownLatch(readers);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    AtomicBoolean invalidated = new AtomicBoolean();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < readers; t++) {
        boolean field = t % 2 == 1;
        futures.add(pool.submit(() -> {
          start.await();
          try {
            for (int i = 0; i < readsEach; i++) {
              String got = reveal(r, field ? "memory:db#password" : "memory:db");
              String want = field ? "pa55word-zz" : big;
              if (!got.equals(want)) {
                wrong.add("length " + got.length() + (got.indexOf('\0') >= 0 ? " with zeros" : ""));
              }
            }
          } finally {
            readersDone.countDown();
          }
          return null;
        }));
      }
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 10_000_000 && readersDone.getCount() > 0; i++) {
          r.invalidate(SecretRef.parse("memory:db"), CTX);
          invalidated.set(true);
        }
        return null;
      }));
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(invalidated).isTrue();
    assertThat(wrong).isEmpty();
    assertThat(memory.fetchCount()).isGreaterThan(1);
  }
}
