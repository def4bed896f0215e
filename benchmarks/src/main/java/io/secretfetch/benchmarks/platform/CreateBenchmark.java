package io.secretfetch.benchmarks.platform;

import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Warmup;

/** Creating secrets one by one on the embedded default: encrypt, insert, audit, commit. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class CreateBenchmark {
  private Path dir;
  private PlatformSecretStore store;
  private final SecretContext context = new SecretContext("acme", "ops", null, null);
  private final AtomicLong counter = new AtomicLong();

  @Setup
  public void setUp() {
    dir = StoreFixture.tempDir("sf-create-bench");
    store = PlatformSecretStore.embedded(dir);
  }

  @TearDown
  public void tearDown() {
    store.close();
    StoreFixture.delete(dir);
  }

  @Benchmark
  public int create() {
    long n = counter.incrementAndGet();
    return store.create(context, NewSecret.builder("generated/secret-" + n)
        .value("s3cr3t-value-for-benchmarks-" + n).build()).version();
  }
}
