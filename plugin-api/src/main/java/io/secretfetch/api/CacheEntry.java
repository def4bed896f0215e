package io.secretfetch.api;

import java.util.concurrent.ConcurrentHashMap;

/** What the resolver's cache holds for one tenant and reference: a value or a recent failure. */
abstract sealed class CacheEntry {

  /** Clock millis after which the cache drops the entry. */
  abstract long removeAt();

  /** A value the provider returned, with its freshness deadlines. Times are clock millis. */
  static final class Loaded extends CacheEntry {
    final SecretMetadata metadata;
    /** Owned plaintext; copied out on every read, never handed out. */
    final byte[] bytes;
    final long refreshAt;
    final long freshUntil;
    /** How long past {@link #freshUntil} the value may be served while the provider fails. */
    final long staleWindow;
    /** The last refresh failure, or null when the last attempt succeeded. */
    final SecretException refreshFailure;
    final long lastAttemptAt;
    /** JSON fields selected so far, each registered with the masker once. */
    final ConcurrentHashMap<String, byte[]> fields;

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

    /** The same value after a failed refresh; it may outlive its time to live by the window. */
    Loaded afterFailedRefresh(SecretException failure, long now, boolean mayServeStale) {
      return new Loaded(metadata, bytes, refreshAt, freshUntil,
          mayServeStale ? staleWindow : 0, failure, now, fields);
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
