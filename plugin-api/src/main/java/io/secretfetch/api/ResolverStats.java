package io.secretfetch.api;

/**
 * Counters of a {@link SecretResolver} since it was built.
 *
 * @param hits requests answered from the cache with a fresh value
 * @param misses requests that found nothing cached and waited for a load (concurrent requests for
 *     the same secret share one load)
 * @param loads provider fetches, including background refreshes
 * @param loadFailures provider fetches that failed
 * @param staleServes requests answered with a value past its time to live because the provider
 *     failed
 */
public record ResolverStats(
    long hits, long misses, long loads, long loadFailures, long staleServes) {}
