package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated
class SystemStreamMaskingTest {

  @Test
  void wrapMasksPrintedTextIncludingValuesSplitAcrossPrints() {
    SecretMasker masker = new SecretMasker();
    masker.register("hunter22");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream target = new PrintStream(bytes, true, UTF_8);
    PrintStream masked = SystemStreamMasking.wrap(target, UTF_8, masker);
    masked.print("password: hun");
    masked.print("ter22");
    masked.println(" ✓");
    masked.printf("%s%n", "again hunter22");
    assertThat(bytes.toString(UTF_8)).isEqualTo("password: *** ✓" + System.lineSeparator()
        + "again ***" + System.lineSeparator());
  }

  @Test
  void installReplacesAndRestoresTheSystemStreams() {
    SecretMasker masker = new SecretMasker();
    masker.register("hunter22");
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, SystemStreamMasking.consoleCharset()));
    System.setErr(new PrintStream(err, true, SystemStreamMasking.consoleCharset()));
    PrintStream capturingOut = System.out;
    PrintStream capturingErr = System.err;
    try {
      try (SystemStreamMasking.Installation ignored = SystemStreamMasking.install(masker)) {
        System.out.println("out hunter22");
        System.err.print("err hunter22");
      }
      assertThat(System.out).isSameAs(capturingOut);
      assertThat(System.err).isSameAs(capturingErr);
      assertThat(out.toString(SystemStreamMasking.consoleCharset()))
          .endsWith("out ***" + System.lineSeparator())
          .doesNotContain("hunter22");
      // endsWith: a fuzzing agent in the same JVM may log class instrumentation to System.err.
      assertThat(err.toString(SystemStreamMasking.consoleCharset()))
          .endsWith("err ***")
          .doesNotContain("hunter22");
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void installOnceDoesNotStackWrappersForTheSameMaskerButInstallsAgainWhenReplaced() {
    SecretMasker masker = new SecretMasker();
    masker.register("hunter22");
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, SystemStreamMasking.consoleCharset()));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true,
        SystemStreamMasking.consoleCharset()));
    try {
      SystemStreamMasking.Installation first = SystemStreamMasking.installOnce(masker);
      PrintStream masked = System.out;
      assertThat(SystemStreamMasking.installOnce(masker)).isSameAs(first);
      assertThat(System.out).isSameAs(masked);

      first.close(); // someone put the originals back: the next engine start masks again
      SystemStreamMasking.Installation second = SystemStreamMasking.installOnce(masker);
      assertThat(second).isNotSameAs(first);
      System.out.println("again hunter22");
      second.close();
      assertThat(out.toString(SystemStreamMasking.consoleCharset()))
          .endsWith("again ***" + System.lineSeparator()).doesNotContain("hunter22");
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
