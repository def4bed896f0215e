package io.secretfetch.app.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code secret-fetch} in this JVM with captured stdout/stderr and a given stdin. */
public final class Cli {
  private final List<String> common;
  /** Everything every run printed, to check that no value ever appears. */
  public final StringBuilder transcript = new StringBuilder();

  public Cli(String... commonArgs) {
    this.common = List.of(commonArgs);
  }

  public record Run(int code, String out, String err) {}

  public Run run(String... args) {
    return runWithInput("", args);
  }

  public Run runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = SecretFetchCommand.commandLine(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(common);
    int code = cl.execute(all.toArray(String[]::new));
    transcript.append(out).append(err);
    return new Run(code, out.toString(), err.toString());
  }
}
