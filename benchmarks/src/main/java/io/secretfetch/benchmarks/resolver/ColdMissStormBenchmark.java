package io.secretfetch.benchmarks.resolver;

import com.amazonaws.secretsmanager.caching.SecretCache;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cold-miss storm: 1,000 threads released at once ask for a secret nobody has fetched yet, with
 * a provider that takes 5 ms per call. The {@code providerCalls} counter is the number of provider
 * (for AWS: service) calls one storm caused; the time is how long the storm took.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class ColdMissStormBenchmark {
  static final int REQUESTS = 1000;
  static final Duration LATENCY = Duration.ofMillis(5);

  private ExecutorService pool;
  private InMemorySecretProvider provider;
  private SecretResolver resolver;
  private StubSecretsManagerClient awsClient;
  private SecretCache awsCache;
  private int round;

  /** Provider calls of the last storm, reported next to its time. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Calls {
    public long providerCalls;

    @Setup(Level.Iteration)
    public void reset() {
      providerCalls = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    pool = Executors.newFixedThreadPool(REQUESTS);
    provider = new InMemorySecretProvider("memory");
    provider.latency(LATENCY);
    resolver = SecretResolver.builder().provider(provider).build();
    awsClient = new StubSecretsManagerClient(CacheHitBenchmark.VALUE, LATENCY.toNanos());
    awsCache = new SecretCache(awsClient);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdownNow();
    resolver.close();
    awsCache.close();
  }

  @Benchmark
  public void resolverStorm(Calls calls) throws Exception {
    String name = "cold-" + (++round);
    provider.put(name, CacheHitBenchmark.VALUE);
    int before = provider.fetchCount();
    SecretRef ref = SecretRef.of("memory", name);
    storm(
        i -> {
          try (SecretValue v = resolver.resolve(ref, SecretContext.system())) {
            v.version();
          }
        });
    calls.providerCalls += provider.fetchCount() - before;
  }

  @Benchmark
  public void awsCachingStorm(Calls calls) throws Exception {
    String name = "cold-" + (++round);
    int before = awsClient.calls.get();
    storm(i -> awsCache.getSecretString(name));
    calls.providerCalls += awsClient.calls.get() - before;
  }

  private void storm(Consumer<Integer> request) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      int n = i;
      done.add(
          pool.submit(
              () -> {
                start.await();
                request.accept(n);
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
  }
}
