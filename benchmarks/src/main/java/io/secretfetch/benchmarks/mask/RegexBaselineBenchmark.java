package io.secretfetch.benchmarks.mask;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * The same lines as {@link MaskThroughputBenchmark} through one java.util.regex alternation of the
 * same quoted forms (what most maskers do). Scores are bytes per second. 10,000 secrets is left out:
 * it runs for minutes per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RegexBaselineBenchmark {

  @Param({"1", "100", "1000"})
  public int secrets;

  private Pattern pattern;
  private String[] lines;

  @Setup
  public void setUp() {
    List<String> values = LogCorpus.secrets(secrets);
    pattern = LogCorpus.alternation(values, 4);
    lines = LogCorpus.lines(values.get(values.size() / 2));
  }

  @Benchmark
  @OperationsPerInvocation(MaskThroughputBenchmark.BYTES)
  public void regexLines(Blackhole blackhole) {
    for (String line : lines) {
      blackhole.consume(pattern.matcher(line).replaceAll("***"));
    }
  }
}
