package io.secretfetch.kit;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A provider that keeps secrets in memory, for tests: per-tenant secrets with numbered versions and
 * an active pointer, expiry, soft delete, denial, injectable failures and latency, and counters.
 * Not for production: nothing is encrypted.
 */
public final class InMemorySecretProvider implements SecretProvider {
  private static final String DEFAULT_TENANT = "";

  private final String id;
  private final Clock clock;
  private final Map<String, Map<String, Entry>> tenants = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicInteger checks = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile SecretError failNextWith;
  private volatile SecretError failAlwaysWith;
  private volatile Duration latency = Duration.ZERO;
  private volatile Runnable beforeFetch = () -> {};

  private static final class Entry {
    final List<byte[]> versions = new ArrayList<>();
    int active; // 1-based
    Instant expiresAt;
    boolean deleted;
    boolean denied;
    String description;
  }

  public InMemorySecretProvider() {
    this("memory");
  }

  public InMemorySecretProvider(String id) {
    this(id, Clock.systemUTC());
  }

  public InMemorySecretProvider(String id, Clock clock) {
    this.id = id;
    this.clock = clock;
  }

  @Override
  public String id() {
    return id;
  }

  /** Adds a version to a default-tenant secret and makes it active; returns its version. */
  public String put(String name, String value) {
    return put(null, name, value);
  }

  /** Adds a version to a tenant's secret and makes it active; returns its version. */
  public String put(String tenantId, String name, String value) {
    return putBytes(tenantId, name, value.getBytes(StandardCharsets.UTF_8));
  }

  public synchronized String putBytes(String tenantId, String name, byte[] value) {
    Entry e = tenant(tenantId).computeIfAbsent(name, n -> new Entry());
    e.versions.add(value.clone());
    e.active = e.versions.size();
    e.deleted = false;
    return Integer.toString(e.active);
  }

  /** Makes an older version active again. */
  public synchronized void activate(String tenantId, String name, String version) {
    entry(tenantId, name).active = Integer.parseInt(version);
  }

  public synchronized void expireAt(String tenantId, String name, Instant when) {
    entry(tenantId, name).expiresAt = when;
  }

  public synchronized void delete(String tenantId, String name) {
    entry(tenantId, name).deleted = true;
  }

  public synchronized void deny(String tenantId, String name) {
    entry(tenantId, name).denied = true;
  }

  public synchronized void describe(String tenantId, String name, String description) {
    entry(tenantId, name).description = description;
  }

  /** The next {@code count} fetches and checks fail with {@code error}. */
  public void failNext(int count, SecretError error) {
    failNextWith = error;
    failuresLeft.set(count);
  }

  /** Every fetch and check fails with {@code error} until {@link #recover()}. */
  public void failAlways(SecretError error) {
    failAlwaysWith = error;
  }

  public void recover() {
    failAlwaysWith = null;
    failuresLeft.set(0);
  }

  /** Each fetch waits this long first. */
  public void latency(Duration d) {
    latency = Objects.requireNonNull(d);
  }

  /** Runs at the start of each fetch, e.g. to wait on a latch. */
  public void beforeFetch(Runnable hook) {
    beforeFetch = Objects.requireNonNull(hook);
  }

  public int fetchCount() {
    return fetches.get();
  }

  public int checkCount() {
    return checks.get();
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    fetches.incrementAndGet();
    beforeFetch.run();
    if (!latency.isZero()) {
      LockSupport.parkNanos(latency.toNanos());
    }
    injectFailure(ref);
    byte[] value;
    String version;
    Instant expiresAt;
    synchronized (this) {
      Entry e = lookup(ref, context);
      int v = ref.version() == null ? e.active : parseVersion(ref, e);
      value = e.versions.get(v - 1).clone();
      version = Integer.toString(v);
      expiresAt = e.expiresAt;
    }
    try {
      return SecretValue.ofBytes(new SecretMetadata(ref, version, clock.instant(), expiresAt), value);
    } finally {
      java.util.Arrays.fill(value, (byte) 0);
    }
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    checks.incrementAndGet();
    injectFailure(null);
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    synchronized (this) {
      for (SecretRef ref : refs) {
        try {
          Entry e = lookup(ref, context);
          if (ref.version() != null) {
            parseVersion(ref, e);
          }
          out.put(ref, SecretCheck.ok(ref));
        } catch (SecretException problem) {
          out.put(ref, SecretCheck.failed(ref, problem));
        }
      }
    }
    return out;
  }

  @Override
  public synchronized List<SecretSummary> list(String prefix, SecretContext context) {
    List<SecretSummary> out = new ArrayList<>();
    new TreeMap<>(tenant(context.tenantId()))
        .forEach(
            (name, e) -> {
              if (name.startsWith(prefix) && !e.deleted) {
                out.add(
                    new SecretSummary(
                        name, e.description, null, Map.of("version", Integer.toString(e.active))));
              }
            });
    return out;
  }

  private void injectFailure(SecretRef ref) {
    SecretError always = failAlwaysWith;
    if (always != null) {
      throw new SecretException(always, ref, "injected failure");
    }
    if (failuresLeft.get() > 0 && failuresLeft.getAndDecrement() > 0) {
      throw new SecretException(failNextWith, ref, "injected failure");
    }
  }

  private Entry lookup(SecretRef ref, SecretContext context) {
    Entry e = tenant(context.tenantId()).get(ref.name());
    if (e == null) {
      throw new SecretException(SecretError.NOT_FOUND, ref, "no such secret in this tenant");
    }
    if (e.denied) {
      throw new SecretException(SecretError.ACCESS_DENIED, ref, "access denied");
    }
    if (e.deleted) {
      throw new SecretException(SecretError.DELETED, ref, "the secret was deleted");
    }
    if (e.expiresAt != null && !clock.instant().isBefore(e.expiresAt)) {
      throw new SecretException(SecretError.EXPIRED, ref, "the secret expired at " + e.expiresAt);
    }
    return e;
  }

  private static int parseVersion(SecretRef ref, Entry e) {
    try {
      int v = Integer.parseInt(ref.version());
      if (v >= 1 && v <= e.versions.size()) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through to VERSION_NOT_FOUND
    }
    throw new SecretException(
        SecretError.VERSION_NOT_FOUND,
        ref,
        "no version " + ref.version() + " (versions 1 to " + e.versions.size() + " exist)");
  }

  private Map<String, Entry> tenant(String tenantId) {
    return tenants.computeIfAbsent(
        tenantId == null ? DEFAULT_TENANT : tenantId, t -> new ConcurrentHashMap<>());
  }

  private Entry entry(String tenantId, String name) {
    Entry e = tenant(tenantId).get(name);
    if (e == null) {
      throw new IllegalArgumentException("no secret " + name + " in tenant " + tenantId);
    }
    return e;
  }
}
