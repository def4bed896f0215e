package io.secretfetch.api;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;

/** What the resolver's cache holds for one tenant and reference: a value or a recent failure. */
abstract sealed class CacheEntry {

  /** Clock millis after which the cache drops the entry. */
  abstract long removeAt();

  /** Called once the cache has dropped this entry: wipes whatever plaintext it owns. */
  void retire() {}

  /**
   * A value the provider returned, with its freshness deadlines. Times are clock millis.
   *
   * <p><b>Wiping.</b> Once the cache drops the entry (eviction, invalidation, expiry, replacement,
   * close), {@link #retire} zeroes its plaintext. Readers never lock and never write shared memory:
   * a read is optimistic ({@link StampedLock#tryOptimisticRead}), copies the bytes, then validates
   * the stamp, and retiring takes the write lock for good (it is never released), which fails every
   * read that overlapped it and every read after it. A failed read discards its copy and returns
   * null, and the resolver asks the cache again (which no longer holds this entry). So a caller
   * never sees a half-wiped value, the hit path costs two volatile reads instead of the two
   * contended atomic updates of a reader count, and the wipe happens at once rather than when the
   * last reader leaves.
   */
  static final class Loaded extends CacheEntry {
    final SecretMetadata metadata;
    /** Owned plaintext; copied out on every read (see {@link #copyBytes}), never handed out. */
    private final byte[] bytes;
    final long refreshAt;
    final long freshUntil;
    /** How long past {@link #freshUntil} the value may be served while the provider fails. */
    final long staleWindow;
    /** The last refresh failure, or null when the last attempt succeeded. */
    final SecretException refreshFailure;
    final long lastAttemptAt;
    /** JSON fields selected so far, each registered with the masker once; wiped with the entry. */
    private final ConcurrentHashMap<String, byte[]> fields;
    /** Write-locked for good once retired; readers only take optimistic stamps. */
    private final StampedLock wipe = new StampedLock();

    Loaded(SecretMetadata metadata, byte[] bytes, long loadedAt, long refreshAt, long freshUntil,
        long staleWindow) {
      this(metadata, bytes, refreshAt, freshUntil, staleWindow, null, loadedAt,
          new ConcurrentHashMap<>());
    }

    private Loaded(SecretMetadata metadata, byte[] bytes, long refreshAt, long freshUntil,
        long staleWindow, SecretException refreshFailure, long lastAttemptAt,
        ConcurrentHashMap<String, byte[]> fields) {
      this.metadata = metadata;
      this.bytes = bytes;
      this.refreshAt = refreshAt;
      this.freshUntil = freshUntil;
      this.staleWindow = staleWindow;
      this.refreshFailure = refreshFailure;
      this.lastAttemptAt = lastAttemptAt;
      this.fields = fields;
    }

    /**
     * The same value after a failed refresh; it may outlive its time to live by the window. Owns
     * copies of the plaintext, since the cache retires this entry when it replaces it. Null when
     * this entry is already retired.
     */
    Loaded afterFailedRefresh(SecretException failure, long now, boolean mayServeStale) {
      long stamp = wipe.tryOptimisticRead();
      if (stamp == 0) {
        return null;
      }
      byte[] copy = bytes.clone();
      ConcurrentHashMap<String, byte[]> fieldCopies = new ConcurrentHashMap<>();
      fields.forEach((name, value) -> fieldCopies.put(name, value.clone()));
      if (!wipe.validate(stamp)) {
        Arrays.fill(copy, (byte) 0);
        fieldCopies.values().forEach(f -> Arrays.fill(f, (byte) 0));
        return null;
      }
      return new Loaded(metadata, copy, refreshAt, freshUntil,
          mayServeStale ? staleWindow : 0, failure, now, fieldCopies);
    }

    /** A copy of the plaintext for one caller, or null once retired (ask the cache again). */
    byte[] copyBytes() {
      long stamp = wipe.tryOptimisticRead();
      if (stamp == 0) {
        return null;
      }
      byte[] copy = bytes.clone();
      if (!wipe.validate(stamp)) {
        Arrays.fill(copy, (byte) 0);
        return null;
      }
      return copy;
    }

    /**
     * A copy of one JSON field's plaintext, selected from {@code whole} (a copy of this entry's
     * value) by {@code select} the first time it is asked for, or null once retired.
     */
    byte[] copyField(String name, byte[] whole, Function<byte[], byte[]> select) {
      long stamp = wipe.tryOptimisticRead();
      if (stamp == 0) {
        return null;
      }
      byte[] selected = fields.get(name);
      if (selected == null) {
        byte[] fresh = select.apply(whole);
        selected = fields.putIfAbsent(name, fresh);
        if (selected == null) {
          selected = fresh;
        } else {
          Arrays.fill(fresh, (byte) 0);
        }
      }
      byte[] copy = selected.clone();
      if (!wipe.validate(stamp)) {
        // Retired meanwhile: the retiring thread may have wiped the fields before ours went in.
        Arrays.fill(copy, (byte) 0);
        Arrays.fill(selected, (byte) 0);
        return null;
      }
      return copy;
    }

    /** Wipes the plaintext; later and overlapping reads return null. Idempotent. */
    @Override
    void retire() {
      if (wipe.tryWriteLock() == 0) {
        return; // already retired
      }
      Arrays.fill(bytes, (byte) 0);
      fields.values().forEach(f -> Arrays.fill(f, (byte) 0));
    }

    /** Whether {@link #retire} has run. */
    boolean retired() {
      return wipe.isWriteLocked();
    }

    /** The owned plaintext itself, for tests that check it was wiped. */
    byte[] ownedBytesForTest() {
      return bytes;
    }

    /** The owned field buffers themselves, for tests that check they were wiped. */
    java.util.Collection<byte[]> ownedFieldsForTest() {
      return fields.values();
    }

    boolean freshAt(long now) {
      return now < freshUntil;
    }

    @Override
    long removeAt() {
      return saturatedAdd(freshUntil, staleWindow);
    }
  }

  /** A failed load, remembered briefly so a storm of requests does not hammer the provider. */
  static final class Failed extends CacheEntry {
    final SecretException failure;
    final long until;

    Failed(SecretException failure, long until) {
      this.failure = failure;
      this.until = until;
    }

    @Override
    long removeAt() {
      return until;
    }
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
