package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.SecretMasker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to register 1,000 secrets until the next mask call masks all of them: in a row (one batch
 * compile), and with a mask call after every registration (the worst case for the tiered rebuild).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RegistrationBenchmark {

  private List<String> values;
  private String probe;

  @Setup
  public void setUp() {
    values = LogCorpus.secrets(1000);
    probe = "probe " + values.get(999);
  }

  @Benchmark
  public String register1000ThenMask() {
    SecretMasker masker = new SecretMasker();
    for (String value : values) {
      masker.register(value);
    }
    return masker.mask(probe);
  }

  @Benchmark
  public String register1000MaskingAfterEach() {
    SecretMasker masker = new SecretMasker();
    String last = null;
    for (String value : values) {
      masker.register(value);
      last = masker.mask(probe);
    }
    return last;
  }
}
