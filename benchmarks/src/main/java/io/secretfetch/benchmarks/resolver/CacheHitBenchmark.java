package io.secretfetch.benchmarks.resolver;

import com.amazonaws.secretsmanager.caching.SecretCache;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm cache hit: our resolver against AWS's own caching library over an in-process client, in
 * one run. Both return the secret of a 40-character value; ours hands out a fresh {@link
 * SecretValue} copy per call (closed here, as a caller would).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CacheHitBenchmark {
  static final String VALUE = "s3cr3t-value-for-benchmarks-0123456789ab";

  private SecretResolver resolver;
  private SecretRef ref;
  private final SecretContext context = SecretContext.system();
  private SecretCache awsCache;

  @Setup
  public void setUp() {
    InMemorySecretProvider provider = new InMemorySecretProvider("memory");
    provider.put("prod/db", VALUE);
    resolver = SecretResolver.builder().provider(provider).build();
    ref = SecretRef.parse("memory:prod/db");
    resolver.resolve(ref, context).close();

    awsCache = new SecretCache(new StubSecretsManagerClient(VALUE, 0));
    awsCache.getSecretString("prod/db");
  }

  @TearDown
  public void tearDown() {
    resolver.close();
    awsCache.close();
  }

  @Benchmark
  @Threads(1)
  public int resolverHit1Thread() {
    return resolverHit();
  }

  @Benchmark
  @Threads(2)
  public int resolverHit2Threads() {
    return resolverHit();
  }

  @Benchmark
  @Threads(1)
  public String awsCachingHit1Thread() {
    return awsCache.getSecretString("prod/db");
  }

  @Benchmark
  @Threads(2)
  public String awsCachingHit2Threads() {
    return awsCache.getSecretString("prod/db");
  }

  private int resolverHit() {
    try (SecretValue v = resolver.resolve(ref, context)) {
      return v.version().length();
    }
  }
}
