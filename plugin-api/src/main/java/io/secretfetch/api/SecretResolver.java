package io.secretfetch.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretfetch.api.CacheEntry.Failed;
import io.secretfetch.api.CacheEntry.Loaded;
import io.secretfetch.api.mask.SecretMasker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point hosts use to turn a {@link SecretRef} into a {@link SecretValue}: routes by
 * provider id, caches per tenant, refreshes ahead of expiry, serves a stale value for a bounded
 * time while a provider fails, registers every value with the {@link SecretMasker}, and checks
 * references in batches without reading values.
 *
 * <h2>Caching</h2>
 *
 * <ul>
 *   <li>Entries are keyed by tenant and reference, so one tenant's value is never returned to
 *       another.
 *   <li>The active version lives for its provider's time to live (or until the secret's own
 *       expiry, if sooner) and is refreshed in the background once {@code refreshAhead} of that
 *       time has passed; a version pinned by id never changes and stays until evicted by size.
 *   <li>Concurrent requests for the same cold secret share one provider call.
 *   <li>When a refresh fails with a code in {@code staleOnErrorCodes}, the last value is served for
 *       at most {@code staleOnError} past its time to live, then the provider's error is thrown.
 *   <li>Failures, {@code NOT_FOUND} among them, are remembered for {@code negativeTtl} only, so a
 *       secret bound after a failed run is seen at once.
 * </ul>
 *
 * <p>Every method is safe for concurrent use. Close the resolver to close its providers.
 */
public final class SecretResolver implements BootstrapSecrets, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecretResolver.class);

  private final Map<String, SecretProvider> providers = new ConcurrentHashMap<>();
  private final String defaultProvider;
  private final MaskerRegistrar registrar;
  private final Clock clock;
  private final Duration defaultTtl;
  private final Map<String, Duration> ttls;
  private final double refreshAhead;
  private final long staleWindowMillis;
  private final Set<SecretError> staleOnErrorCodes;
  private final long negativeTtlMillis;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final Cache<CacheKey, CacheEntry> cache;
  private final Map<CacheKey, CompletableFuture<CacheEntry>> refreshing = new ConcurrentHashMap<>();

  private static final long SWEEP_SECONDS = 30;
  /** Reads of entries retired under the reader before a resolve gives up (a safety net). */
  private static final int MAX_READ_ATTEMPTS = 1000;

  private volatile boolean closed;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder staleServes = new LongAdder();

  /**
   * Tenant and reference (with provider, without field): the unit of caching. Hand-written
   * equals and hashCode: this is built and compared on every cache hit.
   */
  static final class CacheKey {
    final String tenantId;
    final SecretRef ref;
    private final int hash;

    CacheKey(String tenantId, SecretRef ref) {
      this.tenantId = tenantId;
      this.ref = ref;
      this.hash = 31 * Objects.hashCode(tenantId) + ref.hashCode();
    }

    SecretRef ref() {
      return ref;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey k
          && hash == k.hash
          && Objects.equals(tenantId, k.tenantId)
          && ref.equals(k.ref);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private SecretResolver(Builder b) {
    this.registrar = new MaskerRegistrar(b.masker != null ? b.masker : SecretMasker.shared());
    this.clock = b.clock;
    this.defaultTtl = b.defaultTtl;
    this.ttls = Map.copyOf(b.ttls);
    this.refreshAhead = b.refreshAhead;
    this.staleWindowMillis = b.staleOnError.toMillis();
    this.staleOnErrorCodes = Set.copyOf(b.staleOnErrorCodes);
    this.negativeTtlMillis = b.negativeTtl.toMillis();
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads());
      this.executor = ownedExecutor;
    }
    // Caffeine bounds the size; expiry is checked by hand against one clock read per hit, since
    // Caffeine's own expiry reads the ticker several times per hit and tripled its cost. Its
    // maintenance runs on the calling thread: a pool wake-up per batch of reads costs more.
    // Every entry the cache drops, for whatever cause (size, invalidation, replacement by a
    // refresh, the expiry checked by hand, the sweep, close), has its plaintext wiped; on this
    // executor the listener runs before the dropping call returns.
    this.cache = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .executor(Runnable::run)
        .<CacheKey, CacheEntry>removalListener((key, entry, cause) -> {
          if (entry != null) {
            entry.retire();
          }
        })
        .build();
    scheduleSweep();

    for (SecretProvider p : b.providers) {
      addProvider(p);
    }
    if (!b.configs.isEmpty()) {
      Map<String, SecretProviderFactory> factories = ProviderFactories.discover(b.classLoader, b.factories);
      for (ProviderConfig config : b.configs) {
        SecretProviderFactory factory = factories.get(config.type());
        if (factory == null) {
          throw SecretException.configuration(
              "provider '" + config.id() + "' has type '" + config.type()
                  + "', but no provider of that type is on the class path (found: "
                  + new TreeSet<>(factories.keySet()) + ")",
              "Add the secret-fetch-provider-" + config.type()
                  + " jar to the class path, or correct the type");
        }
        SecretProvider p = factory.create(config,
            new EarlierProviders(this, providers.keySet(), config.id()));
        if (!config.id().equals(p.id())) {
          throw SecretException.configuration(
              "factory " + factory.getClass().getName() + " built a provider with id '" + p.id()
                  + "' for configuration '" + config.id() + "'",
              "Fix the factory so the provider takes its id from the configuration");
        }
        addProvider(p);
      }
    }
    if (b.defaultProvider != null) {
      requireProvider(b.defaultProvider);
      this.defaultProvider = b.defaultProvider;
    } else {
      this.defaultProvider = providers.size() == 1 ? providers.keySet().iterator().next() : null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves a reference for the given caller.
   *
   * @throws SecretException when the secret cannot be resolved; never contains the value
   */
  @Override
  public SecretValue resolve(SecretRef ref, SecretContext context) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(ref, "ref");
    // Only configured providers' secrets are ever cached, so a hit needs no provider lookup.
    SecretRef full = ref.provider() == null ? normalize(ref) : ref;
    CacheKey key = new CacheKey(context.tenantId(), full.withoutField());
    for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      SecretValue value = resolveCached(key, full.field(), context);
      if (value != null) {
        return value;
      }
      // The entry was dropped and wiped while this call read it; the cache no longer holds it.
    }
    throw SecretException.providerUnavailable(
        full,
        "the cached value was dropped while being read " + MAX_READ_ATTEMPTS + " times in a row",
        "Retry; if it persists, something invalidates this secret continuously");
  }

  /** One attempt: the value, or null when the entry read was retired meanwhile (try again). */
  private SecretValue resolveCached(CacheKey key, String field, SecretContext context) {
    CacheEntry entry = cache.getIfPresent(key);
    long now = clock.millis();
    if (entry != null && now >= entry.removeAt()) {
      cache.asMap().remove(key, entry);
      entry = null;
    }
    if (entry == null) {
      return resolveMiss(key, field, context);
    }
    if (entry instanceof Failed failed) {
      throw failed.failure.copy();
    }
    Loaded loaded = (Loaded) entry;
    if (loaded.freshAt(now)) {
      hits.increment();
      // Copy first: a refresh may replace (and so wipe) this entry before returning.
      SecretValue value = read(loaded, field, null);
      if (value != null && now >= loaded.refreshAt) {
        refresh(key, loaded, context);
      }
      return value;
    }
    return readPastTtl(key, loaded, field, context, now);
  }

  private SecretValue resolveMiss(CacheKey key, String field, SecretContext context) {
    requireProvider(key.ref().provider());
    misses.increment();
    // The loading call keeps a copy of its own: the cache may drop (and wipe) the entry before
    // this call reads it (a cache of size 0), and this call must still get its value.
    byte[][] own = new byte[1][];
    CacheEntry entry = cache.get(key, k -> {
      CacheEntry fresh = load(k, context);
      if (fresh instanceof Loaded l) {
        own[0] = l.copyBytes();
      }
      return fresh;
    });
    if (entry instanceof Failed failed) {
      throw failed.failure.copy();
    }
    // Just loaded for this call (or by a concurrent one it waited for): fresh by definition.
    return read((Loaded) entry, field, own[0]);
  }

  /** Parses {@code ref} (see {@link SecretRef}) and resolves it. */
  public SecretValue resolve(String ref, SecretContext context) {
    return resolve(SecretRef.parse(ref), context);
  }

  /**
   * Checks references without reading values: one batched {@link SecretProvider#check} per
   * provider. A reference to an unknown provider, or a provider whose check fails as a whole,
   * yields a failed result for each of its references rather than an exception.
   *
   * @return one result per distinct reference given, in the order given
   */
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    Objects.requireNonNull(context, "context");
    Map<SecretRef, SecretCheck> results = new LinkedHashMap<>();
    Map<String, List<SecretRef>> byProvider = new LinkedHashMap<>();
    Map<SecretRef, List<SecretRef>> asked = new HashMap<>();
    for (SecretRef ref : refs) {
      SecretRef full;
      try {
        full = normalize(ref);
      } catch (SecretException e) {
        results.put(ref, SecretCheck.failed(ref, e));
        continue;
      }
      results.put(ref, null);
      SecretRef whole = full.withoutField();
      List<SecretRef> sameSecret = asked.computeIfAbsent(whole, w -> new ArrayList<>());
      if (sameSecret.isEmpty()) {
        byProvider.computeIfAbsent(full.provider(), p -> new ArrayList<>()).add(whole);
      }
      sameSecret.add(ref);
    }
    byProvider.forEach(
        (providerId, batch) -> {
          Map<SecretRef, SecretCheck> answers;
          try {
            answers = providers.get(providerId).check(batch, context);
          } catch (SecretException e) {
            answers = new HashMap<>();
            for (SecretRef r : batch) {
              answers.put(r, SecretCheck.failed(r, e));
            }
          }
          for (SecretRef whole : batch) {
            SecretCheck answer = answers.get(whole);
            for (SecretRef original : asked.get(whole)) {
              results.put(original, retarget(answer, whole, original, providerId));
            }
          }
        });
    return results;
  }

  /** Lists secrets of one provider whose names start with {@code prefix}: names, never values. */
  public List<SecretSummary> list(String providerId, String prefix, SecretContext context) {
    Objects.requireNonNull(context, "context");
    return requireProvider(providerId).list(prefix == null ? "" : prefix, context);
  }

  /**
   * The reference with the default provider filled in.
   *
   * @throws SecretException {@code CONFIGURATION} when no provider of that id is configured
   */
  @Override
  public SecretRef normalize(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.provider() == null) {
      if (defaultProvider == null) {
        throw SecretException.configuration(
            ref,
            "the reference names no provider and no default provider is configured",
            "Write it as provider:name (providers: " + new TreeSet<>(providers.keySet())
                + "), or configure a default provider");
      }
      ref = ref.withProvider(defaultProvider);
    }
    requireProvider(ref.provider());
    return ref;
  }

  public Optional<SecretProvider> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  public Set<String> providerIds() {
    return Set.copyOf(providers.keySet());
  }

  /** The provider bare names resolve through, or null if there is none. */
  public String defaultProvider() {
    return defaultProvider;
  }

  /** The masker every returned value is registered with. */
  public SecretMasker masker() {
    return registrar.masker();
  }

  /** Drops the cached value of one secret for one tenant, e.g. after a rotation. */
  @Override
  public void invalidate(SecretRef ref, SecretContext context) {
    cache.invalidate(new CacheKey(context.tenantId(), normalize(ref).withoutField()));
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  public ResolverStats stats() {
    return new ResolverStats(
        hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(), staleServes.sum());
  }

  /** Empties the cache, wiping cached plaintext, and closes every provider. */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll(); // the removal listener wipes each value
    cache.cleanUp();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    for (SecretProvider p : providers.values()) {
      try {
        p.close();
      } catch (RuntimeException e) {
        log.warn("Closing secret provider '{}' failed: {}", p.id(), e.getClass().getName());
      }
    }
  }

  // --- reading ----------------------------------------------------------------------------------

  private SecretValue readPastTtl(
      CacheKey key, Loaded loaded, String field, SecretContext context, long now) {
    Loaded current = loaded;
    // A background retry starts only after this read has its copy: it may replace (and wipe)
    // the entry before returning.
    boolean retry = loaded.refreshFailure != null
        && now - loaded.lastAttemptAt >= negativeTtlMillis;
    if (current.refreshFailure == null) {
      // Nobody asked since the refresh point: try the provider once before serving stale.
      CacheEntry refreshed = refresh(key, current, context).join();
      if (refreshed instanceof Loaded l && l.freshAt(now)) {
        return read(l, field, null);
      }
      if (refreshed instanceof Loaded l) {
        current = l;
      }
    }
    SecretException failure = current.refreshFailure;
    if (failure != null
        && staleOnErrorCodes.contains(failure.error())
        && now < CacheEntry.saturatedAdd(current.freshUntil, current.staleWindow)) {
      SecretValue stale = read(current, field, null);
      if (stale != null) {
        staleServes.increment();
        if (retry) {
          refresh(key, current, context);
        }
      }
      return stale;
    }
    if (retry) {
      refresh(key, current, context);
    }
    if (failure != null) {
      throw failure.copy();
    }
    return read(current, field, null);
  }

  /**
   * A copy of the value (or of one JSON field) for one caller, or null when the entry was retired
   * meanwhile. {@code own} is the loading call's private copy of the value, or null.
   */
  private SecretValue read(Loaded loaded, String field, byte[] own) {
    byte[] whole = own != null ? own : loaded.copyBytes();
    if (whole == null) {
      return null;
    }
    if (field == null) {
      return SecretValue.wrap(loaded.metadata, whole);
    }
    try {
      byte[] selected =
          loaded.copyField(field, whole, w -> selectField(loaded.metadata, w, field));
      if (selected == null && own != null) {
        selected = selectField(loaded.metadata, own, field);
      }
      if (selected == null) {
        return null;
      }
      return SecretValue.wrap(
          new SecretMetadata(
              loaded.metadata.ref().withField(field),
              loaded.metadata.version(),
              loaded.metadata.fetchedAt(),
              loaded.metadata.expiresAt()),
          selected);
    } finally {
      Arrays.fill(whole, (byte) 0);
    }
  }

  /** The plaintext of {@code field} of the JSON value {@code whole}, registered with the masker. */
  private byte[] selectField(SecretMetadata metadata, byte[] whole, String field) {
    try (SecretValue all = SecretValue.wrap(metadata, whole.clone());
        SecretValue part = all.field(field)) {
      byte[] bytes = part.revealBytes();
      registrar.register(bytes, metadata.resolvedRef().withField(field).toString());
      return bytes;
    }
  }

  // --- loading ----------------------------------------------------------------------------------

  private CacheEntry load(CacheKey key, SecretContext context) {
    long now = clock.millis();
    try {
      return loaded(key, fetch(key, context), now);
    } catch (SecretException e) {
      return new Failed(e, now + negativeTtlMillis);
    }
  }

  private CompletableFuture<CacheEntry> refresh(CacheKey key, Loaded old, SecretContext context) {
    CompletableFuture<CacheEntry> mine = new CompletableFuture<>();
    CompletableFuture<CacheEntry> running = refreshing.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    Runnable task = () -> runRefresh(key, old, context, mine);
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
    return mine;
  }

  private void runRefresh(
      CacheKey key, Loaded old, SecretContext context, CompletableFuture<CacheEntry> done) {
    CacheEntry result;
    try {
      long now = clock.millis();
      try {
        result = loaded(key, fetch(key, context), now);
      } catch (SecretException e) {
        boolean mayServeStale = staleOnErrorCodes.contains(e.error());
        result = old.afterFailedRefresh(e, now, mayServeStale);
        log.warn("Refreshing secret '{}' failed: {}", key.ref(), e.getMessage());
      }
      if (result == null) {
        result = old; // dropped meanwhile: nothing to replace, and its readers ask again
      } else if (!cache.asMap().replace(key, old, result)) {
        // Only replace what we refreshed: an invalidation or a newer load in between wins, and
        // the value nobody will cache is wiped (waiting readers then ask the cache again).
        result.retire();
      }
    } catch (RuntimeException e) {
      result = old;
      log.error("Refreshing secret '{}' failed unexpectedly: {}", key.ref(), e.getClass().getName());
    } finally {
      refreshing.remove(key, done);
    }
    done.complete(result);
  }

  private SecretValue fetch(CacheKey key, SecretContext context) {
    loads.increment();
    SecretProvider provider = providers.get(key.ref().provider());
    try {
      SecretValue value = provider.fetch(key.ref(), context);
      if (value == null) {
        throw SecretException.providerUnavailable(
            key.ref(),
            "provider '" + provider.id() + "' returned no value",
            "Report this to the provider's maintainers; a provider must return a value or throw");
      }
      return value;
    } catch (SecretException e) {
      loadFailures.increment();
      throw e;
    } catch (RuntimeException e) {
      // A provider bug: its message may hold anything, so keep only the type.
      loadFailures.increment();
      log.error(
          "Secret provider '{}' failed on '{}' with {}",
          provider.id(),
          key.ref(),
          e.getClass().getName());
      throw SecretException.providerUnavailable(
          key.ref(),
          "provider '" + provider.id() + "' failed with " + e.getClass().getName(),
          "Check the provider's logs, then retry");
    }
  }

  private Loaded loaded(CacheKey key, SecretValue value, long now) {
    byte[] bytes;
    SecretMetadata metadata;
    try (value) {
      bytes = value.revealBytes();
      metadata = value.metadata().withRef(key.ref());
    }
    registrar.registerWithJsonStrings(bytes, metadata.resolvedRef());
    SecretProvider provider = providers.get(key.ref().provider());
    if (provider.immutable(key.ref())) {
      return new Loaded(metadata, bytes, now, Long.MAX_VALUE, Long.MAX_VALUE, 0);
    }
    long ttl = ttls.getOrDefault(key.ref().provider(), defaultTtl).toMillis();
    long freshUntil = CacheEntry.saturatedAdd(now, ttl);
    if (metadata.expiresAt() != null) {
      freshUntil = Math.min(freshUntil, metadata.expiresAt().toEpochMilli());
    }
    long refreshAt = Math.min(freshUntil, now + (long) (ttl * refreshAhead));
    return new Loaded(metadata, bytes, now, refreshAt, freshUntil, staleWindowMillis);
  }

  private SecretProvider requireProvider(String id) {
    SecretProvider p = providers.get(id);
    if (p == null) {
      throw SecretException.configuration(
          "no secret provider '" + id + "' is configured (configured: "
              + new TreeSet<>(providers.keySet()) + ")",
          "Use one of the configured providers, or configure '" + id + "'");
    }
    return p;
  }

  private void addProvider(SecretProvider p) {
    SecretProvider before = providers.putIfAbsent(p.id(), p);
    if (before != null) {
      throw SecretException.configuration(
          "two providers have the id '" + p.id() + "': " + before.getClass().getName() + " and "
              + p.getClass().getName(),
          "Give each provider a distinct id");
    }
  }

  private static SecretCheck retarget(
      SecretCheck answer, SecretRef asked, SecretRef original, String providerId) {
    if (answer == null) {
      return SecretCheck.failed(
          original,
          SecretException.providerUnavailable(
              original,
              "provider '" + providerId + "' gave no answer for this reference",
              "Report this to the provider's maintainers"));
    }
    return answer.isOk()
        ? SecretCheck.ok(original)
        : SecretCheck.failed(original, answer.problem());
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "secret-fetch-refresh-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Drops expired entries nobody asked for again, so their plaintext does not linger. Holds the
   * resolver weakly: an unclosed resolver that is no longer used can still be collected.
   */
  private void scheduleSweep() {
    java.lang.ref.WeakReference<SecretResolver> self = new java.lang.ref.WeakReference<>(this);
    CompletableFuture.delayedExecutor(SWEEP_SECONDS, TimeUnit.SECONDS)
        .execute(
            () -> {
              SecretResolver r = self.get();
              if (r != null && !r.closed) {
                r.sweep();
                r.scheduleSweep();
              }
            });
  }

  void sweep() {
    long now = clock.millis();
    cache.asMap().values().removeIf(e -> now >= e.removeAt());
  }

  long cachedEntries() {
    return cache.asMap().size();
  }

  /** The cached entry of one secret, for tests; null when none. */
  CacheEntry cachedEntry(SecretRef ref, SecretContext context) {
    return cache.asMap().get(new CacheKey(context.tenantId(), normalize(ref).withoutField()));
  }

  /** Runs the cache's pending maintenance (size eviction) now, for tests. */
  void cleanUp() {
    cache.cleanUp();
  }

  /** Builds a {@link SecretResolver}. */
  public static final class Builder {
    private final List<SecretProvider> providers = new ArrayList<>();
    private final List<ProviderConfig> configs = new ArrayList<>();
    private final List<SecretProviderFactory> factories = new ArrayList<>();
    private ClassLoader classLoader = SecretResolver.class.getClassLoader();
    private String defaultProvider;
    private SecretMasker masker;
    private Clock clock = Clock.systemUTC();
    private Duration defaultTtl = Duration.ofMinutes(5);
    private final Map<String, Duration> ttls = new HashMap<>();
    private double refreshAhead = 0.8;
    private long maximumSize = 10_000;
    private Duration staleOnError = Duration.ofMinutes(5);
    private Set<SecretError> staleOnErrorCodes =
        EnumSet.of(
            SecretError.PROVIDER_UNAVAILABLE,
            SecretError.THROTTLED,
            SecretError.DECRYPTION_FAILED);
    private Duration negativeTtl = Duration.ofSeconds(1);
    private Executor executor;

    private Builder() {}

    /** Adds a provider instance. Two providers with one id fail {@link #build()}. */
    public Builder provider(SecretProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Adds a provider built by the {@link SecretProviderFactory} of {@code config.type()}, found
     * through {@link java.util.ServiceLoader}. Providers are built in the order added, and each
     * may resolve its own bootstrap secrets through those added before it.
     */
    public Builder provider(ProviderConfig config) {
      configs.add(Objects.requireNonNull(config, "config"));
      return this;
    }

    /** Adds a factory by hand, for hosts without a usable ServiceLoader. */
    public Builder factory(SecretProviderFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** The class loader ServiceLoader searches; default: the one that loaded this class. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** The provider for references without one; default: the only provider, if there is one. */
    public Builder defaultProvider(String id) {
      this.defaultProvider = id;
      return this;
    }

    /**
     * The masker to register values with; default: {@link SecretMasker#shared()}, the one the
     * Logback encoder and the System stream wrappers use, so resolved values are masked in logs.
     */
    public Builder masker(SecretMasker masker) {
      this.masker = masker;
      return this;
    }

    /** How long an active version is fresh, for providers without their own {@link #ttl}. */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = nonNegative(ttl, "defaultTtl");
      return this;
    }

    /** How long an active version of this provider is fresh; zero disables caching. */
    public Builder ttl(String providerId, Duration ttl) {
      ttls.put(Objects.requireNonNull(providerId, "providerId"), nonNegative(ttl, "ttl"));
      return this;
    }

    /** The fraction of the time to live after which a read refreshes in the background. */
    public Builder refreshAhead(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("refreshAhead must be in (0, 1] but was " + fraction);
      }
      this.refreshAhead = fraction;
      return this;
    }

    /** The most entries (tenant and secret) the cache holds. */
    public Builder maximumSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("maximumSize must not be negative but was " + size);
      }
      this.maximumSize = size;
      return this;
    }

    /**
     * How long past its time to live a value may be served while refreshing it fails with one of
     * {@code codes}; zero turns stale serving off. Default: five minutes, for {@code
     * PROVIDER_UNAVAILABLE}, {@code THROTTLED} and {@code DECRYPTION_FAILED}; never by default for
     * answers about the secret itself ({@code EXPIRED}, {@code DELETED}, {@code ACCESS_DENIED},
     * {@code NOT_FOUND}).
     */
    public Builder staleOnError(Duration bound, Set<SecretError> codes) {
      this.staleOnError = nonNegative(bound, "staleOnError");
      this.staleOnErrorCodes = codes.isEmpty() ? EnumSet.noneOf(SecretError.class) : EnumSet.copyOf(codes);
      return this;
    }

    /** How long a failure is remembered, and the least time between retries of a failing refresh. */
    public Builder negativeTtl(Duration ttl) {
      this.negativeTtl = nonNegative(ttl, "negativeTtl");
      return this;
    }

    /** The clock for times to live and fetch times; tests pass a fake. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs background refreshes; default: a cached pool of daemon threads the resolver owns. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Builds the resolver and its configured providers.
     *
     * @throws SecretException {@code CONFIGURATION} on duplicate provider ids or factory types, an
     *     unknown provider type, or an unknown default provider
     */
    public SecretResolver build() {
      return new SecretResolver(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative but was " + d);
      }
      return d;
    }
  }
}
