package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.SecretMasker;
import java.io.IOException;
import java.io.Writer;
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

/**
 * A 10 MB text without a line break (one hit per 60 KB), masked at once and through a masking
 * writer in 8 KB writes. Scores are bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LongLineBenchmark {

  static final int BYTES = 10_000_000;

  @Param({"1000"})
  public int secrets;

  private SecretMasker masker;
  private String line;

  @Setup
  public void setUp() {
    List<String> values = LogCorpus.secrets(secrets);
    masker = new SecretMasker();
    values.forEach(masker::register);
    line = LogCorpus.longLine(values.get(0), BYTES).substring(0, BYTES);
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public String maskTenMegabyteLine() {
    return masker.mask(line);
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public long streamTenMegabyteLine() throws IOException {
    CountingWriter sink = new CountingWriter();
    try (Writer writer = masker.maskingWriter(sink)) {
      for (int i = 0; i < BYTES; i += 8192) {
        writer.write(line, i, Math.min(8192, BYTES - i));
      }
    }
    return sink.count;
  }

  /** Discards what it gets, so the benchmark measures the masking, not a copy. */
  static final class CountingWriter extends Writer {
    long count;

    @Override
    public void write(char[] cbuf, int off, int len) {
      count += len;
    }

    @Override
    public void write(String str, int off, int len) {
      count += len;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
