package io.secretfetch.benchmarks.mask;

import io.secretfetch.api.mask.SecretMasker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reports the heap retained by a masker with N registered secrets (default 10,000), measured as the
 * used heap after full GCs before and after, and as counted by the masker itself. Optionally writes
 * the figures as JSON to the path given as the second argument.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.secretfetch.benchmarks.mask.MatcherMemory 10000 \
 *     benchmarks/results/mask-memory.json</pre>
 */
public final class MatcherMemory {

  private MatcherMemory() {}

  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    List<String> values = LogCorpus.secrets(count);
    long before = usedAfterGc();
    SecretMasker masker = new SecretMasker();
    long start = System.nanoTime();
    values.forEach(masker::register);
    masker.mask("compile now");
    long compileMillis = (System.nanoTime() - start) / 1_000_000;
    long after = usedAfterGc();
    long retained = after - before;
    String json = String.format(Locale.ROOT,
        "{\"secrets\": %d, \"retainedHeapBytes\": %d, \"retainedHeapMiB\": %.1f,"
            + " \"matcherArraysBytes\": %d, \"compileMillis\": %d}%n",
        count, retained, retained / 1048576.0, masker.matcherRetainedBytes(), compileMillis);
    System.out.print(json);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), json);
    }
    if (masker.mask(values.get(0)).equals(values.get(0))) {
      throw new IllegalStateException("masker lost its secrets");
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
