package io.secretfetch.benchmarks.platform;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a value from the embedded default (H2 file database): one query, tenant keyset from the
 * cache, AES256-GCM decrypt, and the audit event (chain MAC, insert, head update) committed
 * before the value is returned. Sample time gives p50 and p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class ValueReadBenchmark {
  private static final int SECRETS = 1000;

  private Path dir;
  private PlatformSecretStore store;
  private final SecretContext context = new SecretContext("acme", "worker-1", "pi-1", "task-1");
  private String[] names;

  @Setup
  public void setUp() {
    dir = StoreFixture.tempDir("sf-read-bench");
    store = PlatformSecretStore.embedded(dir);
    List<NewSecret> batch = new ArrayList<>();
    names = new String[SECRETS];
    for (int i = 0; i < SECRETS; i++) {
      names[i] = "service/api-key-" + i;
      batch.add(NewSecret.builder(names[i]).value("s3cr3t-value-for-benchmarks-" + i).build());
    }
    store.createAll(context, batch);
  }

  @TearDown
  public void tearDown() {
    store.close();
    StoreFixture.delete(dir);
  }

  @Benchmark
  public int readValue() {
    String name = names[ThreadLocalRandom.current().nextInt(SECRETS)];
    try (SecretValue v = store.value(context, name)) {
      return v.revealBytes().length;
    }
  }
}
