package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.SecretMasker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to register {@code count} secrets (default 1,000) until the next mask call masks all of them:
 * in a row (one batch compile), and one at a time with a mask call after every registration (how the
 * resolver uses the masker: load a secret, register it, mask log lines; the worst case for the tiered
 * rebuild). Run with {@code -p count=10000} to see that the one-at-a-time cost grows near-linearly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RegistrationBenchmark {

  @Param({"1000"})
  public int count;

  private List<String> values;
  private String probe;

  @Setup
  public void setUp() {
    values = LogCorpus.secrets(count);
    probe = "probe " + values.get(count - 1);
  }

  @Benchmark
  public String registerAllThenMask() {
    SecretMasker masker = new SecretMasker();
    for (String value : values) {
      masker.register(value);
    }
    return masker.mask(probe);
  }

  @Benchmark
  public String registerOneAtATimeMaskingAfterEach() {
    SecretMasker masker = new SecretMasker();
    String last = null;
    for (String value : values) {
      masker.register(value);
      last = masker.mask(probe);
    }
    return last;
  }
}
