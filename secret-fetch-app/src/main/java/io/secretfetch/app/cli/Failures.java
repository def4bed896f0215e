package io.secretfetch.app.cli;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.app.ExitCodes;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into {@code error:} and {@code next:} lines on stderr and an exit code. Every
 * line goes through the masker, so a value that slipped into a message still prints as
 * {@code ***}.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  static int handleExecution(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (ex instanceof CliException e) {
      report(err, e.getMessage(), e.next());
      return e.exitCode();
    }
    if (ex instanceof SecretException e) {
      String what = "[" + e.error() + "] "
          + (e.ref() != null ? "secret '" + e.ref() + "': " : "")
          + (e.detail() != null ? e.detail() : e.error().name().toLowerCase(java.util.Locale.ROOT));
      report(err, what, e.remedy());
      return ExitCodes.of(e.error());
    }
    log.error("Unexpected failure in '{}'", cl.getCommandSpec().qualifiedName(), ex);
    report(err, "internal failure: " + ex.getClass().getName()
            + (ex.getMessage() != null ? ": " + ex.getMessage() : ""),
        "Run the command again with --verbose and report the output (it is masked) as a bug.");
    return ExitCodes.INTERNAL;
  }

  static int handleParameter(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    report(err, ex.getMessage(),
        "Run '" + cl.getCommandSpec().qualifiedName() + " --help' for the usage.");
    return ExitCodes.USAGE;
  }

  static void report(PrintWriter err, String error, String next) {
    SecretMasker masker = SecretMasker.shared();
    err.println("error: " + masker.mask(error));
    if (next != null) {
      err.println("next: " + masker.mask(next));
    }
    err.flush();
  }
}
