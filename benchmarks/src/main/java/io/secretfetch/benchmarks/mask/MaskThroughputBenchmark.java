package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.SecretMasker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Masking throughput over 120-character log lines with one hit per 500 lines. Scores are bytes per
 * second (one "operation" is one character; the lines are ASCII): divide by 10^6 for MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskThroughputBenchmark {

  static final int BYTES = LogCorpus.LINES * LogCorpus.LINE_LENGTH;

  @Param({"1", "100", "1000", "10000"})
  public int secrets;

  private SecretMasker masker;
  private String[] lines;
  private String hitFreeLine;

  @Setup
  public void setUp() {
    List<String> values = LogCorpus.secrets(secrets);
    masker = new SecretMasker();
    values.forEach(masker::register);
    lines = LogCorpus.lines(values.get(values.size() / 2));
    hitFreeLine = lines[0];
    if (masker.mask(hitFreeLine) != hitFreeLine || !masker.mask(lines[LogCorpus.LINES / 2])
        .contains("***")) {
      throw new IllegalStateException("corpus does not have exactly the planned hits");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public void maskLines(Blackhole blackhole) {
    for (String line : lines) {
      blackhole.consume(masker.mask(line));
    }
  }

  /** One hit-free line; with -prof gc, gc.alloc.rate.norm is the allocation per line. */
  @Benchmark
  public String maskHitFreeLine() {
    return masker.mask(hitFreeLine);
  }
}
