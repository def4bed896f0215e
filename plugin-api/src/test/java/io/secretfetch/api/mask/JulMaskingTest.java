package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

/** {@link JulMasking} over real java.util.logging handlers, across a LogManager reconfiguration. */
class JulMaskingTest {

  private static final String SECRET = "jul-s3cr3t-value-9";

  @Test
  void aHandlersFormattedRecordIsMaskedAndTheControlBeforeInstallingIsNot() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamHandler handler = new StreamHandler(out, new SimpleFormatter());
    Logger logger = Logger.getLogger("io.secretfetch.test.jul");
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
    SecretMasker masker = masker();
    try {
      logger.log(Level.WARNING, "control {0}", SECRET);
      handler.flush();
      assertThat(out.toString(UTF_8)).contains("control " + SECRET);
      out.reset();

      try (JulMasking.Installation ignored = JulMasking.install(masker)) {
        logger.log(Level.WARNING, "value {0}", SECRET);
        logger.log(Level.SEVERE, "failed", new IllegalStateException("boom " + SECRET));
        handler.flush();
      }

      String text = out.toString(UTF_8);
      assertThat(text).doesNotContain(SECRET).contains("value ***").contains("boom ***");
      assertThat(handler.getFormatter()).isInstanceOf(SimpleFormatter.class); // given back
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(true);
    }
  }

  @Test
  void handlersOfANewLogManagerConfigurationAreMasked() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (JulMasking.Installation ignored = JulMasking.install(masker())) {
      System.setErr(new PrintStream(err, true, UTF_8)); // a ConsoleHandler writes here
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(
          "handlers=java.util.logging.ConsoleHandler\n.level=INFO\n".getBytes(UTF_8)));
      Logger.getLogger("io.secretfetch.test.jul.reloaded").warning("reloaded " + SECRET);
      for (var h : Logger.getLogger("").getHandlers()) {
        h.flush();
      }
    } finally {
      System.setErr(originalErr);
      LogManager.getLogManager().readConfiguration();
    }
    assertThat(err.toString(UTF_8)).contains("reloaded ***").doesNotContain(SECRET);
  }

  private static SecretMasker masker() {
    SecretMasker masker = new SecretMasker();
    masker.register(SECRET);
    return masker;
  }
}
