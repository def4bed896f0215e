package io.secretfetch.api.mask;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.secretfetch.api.mask.logback.LogbackMasking;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link LogMasking}: what it installs on this module's back end, and what it says otherwise. */
class LogMaskingTest {

  @Test
  void withLogbackAsTheBackEndBothLogbackAndJulAreMaskedUntilClosed() {
    SecretMasker masker = new SecretMasker();
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

    LogMasking.Installation installation = LogMasking.install(masker);
    assertThat(installation.covered()).containsExactly("Logback", "java.util.logging");
    assertThat(LogbackMasking.isInstalled(logback, masker)).isTrue();
    assertThat(JulMasking.isInstalled(masker)).isTrue();

    installation.close();
    assertThat(LogbackMasking.isInstalled(logback, masker)).isFalse();
    assertThat(JulMasking.isInstalled(masker)).isFalse();
  }

  @Test
  void theWarningForAnotherBackEndNamesItWhatIsUnmaskedAndTheFix() {
    String log4j = "org.apache.logging.slf4j.Log4jLoggerFactory";

    String warning = LogMasking.unmaskedWarning(LogMasking.describe(log4j), log4j);

    assertThat(warning).contains("Log4j 2 (" + log4j + ")")
        .contains("appenders write a secret that reaches a log line unmasked")
        .contains("log through Logback").contains("maskSystemStreams");
    assertThat(LogMasking.describe(LogMasking.SIMPLE)).isEqualTo("slf4j-simple");
  }
}
