package io.secretfetch.api.mask.logback;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.secretfetch.api.mask.SecretMasker;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskingLogbackTest {

  private static final String SECRET = "s3cr3t-v4lue";
  private static final String PATTERN = "[%thread] %level %logger - %msg | %mdc | %kvp%n%ex";

  private final LoggerContext context = new LoggerContext();

  MaskingLogbackTest() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // a stand-alone context has none
  }

  @Test
  void encoderRendersAnEventWithTheSecretEverywhereWithoutIt() {
    SecretMasker masker = new SecretMasker();
    masker.register(SECRET);
    PatternLayoutEncoder inner = new PatternLayoutEncoder();
    inner.setContext(context);
    inner.setPattern(PATTERN);
    MaskingEncoder encoder = new MaskingEncoder();
    encoder.setContext(context);
    encoder.setEncoder(inner);
    encoder.setMasker(masker);
    encoder.start();

    String rendered = new String(encoder.encode(eventWithSecretEverywhere()), UTF_8);

    assertRendersWithoutSecret(rendered);
  }

  @Test
  void layoutRendersAnEventWithTheSecretEverywhereWithoutIt() {
    SecretMasker masker = new SecretMasker();
    masker.register(SECRET);
    PatternLayout inner = new PatternLayout();
    inner.setContext(context);
    inner.setPattern(PATTERN);
    MaskingLayout layout = new MaskingLayout();
    layout.setContext(context);
    layout.setLayout(inner);
    layout.setMasker(masker);
    layout.start();

    assertRendersWithoutSecret(layout.doLayout(eventWithSecretEverywhere()));
  }

  @Test
  void encoderMasksAValueWrittenWithMixedEscapesAcrossMessageAndArgument() {
    SecretMasker masker = new SecretMasker();
    masker.register(SECRET);
    PatternLayoutEncoder inner = new PatternLayoutEncoder();
    inner.setContext(context);
    inner.setPattern("%msg%n");
    MaskingEncoder encoder = new MaskingEncoder();
    encoder.setContext(context);
    encoder.setEncoder(inner);
    encoder.setMasker(masker);
    encoder.start();
    Logger logger = context.getLogger("io.example.Templates");
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO,
        "xml <v>&#115;3cr3{}</v> url ?k=%733cr3t%2Dv4lue json \\u00733cr3t-v4lue", null,
        new Object[] {"t&#X2d;v4lue"});

    String rendered = new String(encoder.encode(event), UTF_8);

    assertThat(rendered).isEqualTo("xml <v>***</v> url ?k=*** json ***" + System.lineSeparator());
  }

  @Test
  void maskedFieldsStayMaskedWhenTheLayoutTruncatesThem() {
    SecretMasker masker = new SecretMasker();
    masker.register(SECRET);
    PatternLayout inner = new PatternLayout();
    inner.setContext(context);
    inner.setPattern("%.8msg"); // keeps the last 8 characters only
    MaskingLayout layout = new MaskingLayout();
    layout.setContext(context);
    layout.setLayout(inner);
    layout.setMasker(masker);
    layout.start();
    Logger logger = context.getLogger("test");
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "x" + SECRET, null, null);
    assertThat(layout.doLayout(event)).isEqualTo("x***");
  }

  @Test
  void worksWhenConfiguredFromXmlWithTheSharedMasker(@TempDir Path dir) throws Exception {
    SecretMasker.shared().register("shared-" + SECRET);
    Path file = dir.resolve("app.log");
    String xml = """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder class="io.secretfetch.api.mask.logback.MaskingEncoder">
              <encoder class="ch.qos.logback.classic.encoder.PatternLayoutEncoder">
                <pattern>%%msg%%n</pattern>
              </encoder>
            </encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>
        """.formatted(file);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(UTF_8)));

    assertThat(context.getStatusManager().getCopyOfStatusList())
        .allSatisfy(status -> assertThat(status.getLevel()).as(status.toString()).isLessThan(2));
    context.getLogger("app").info("connecting with {}", "shared-" + SECRET);
    context.stop();

    assertThat(Files.readString(file)).isEqualTo("connecting with ***" + System.lineSeparator());
  }

  private LoggingEvent eventWithSecretEverywhere() {
    Logger logger = context.getLogger("io.example.Payments");
    IllegalStateException cause = new IllegalStateException("cause has " + SECRET);
    RuntimeException failure = new RuntimeException("failed with " + SECRET, cause);
    failure.addSuppressed(new IllegalArgumentException("suppressed " + SECRET));
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.ERROR,
        "message " + SECRET + " argument {}", failure, new Object[] {SECRET});
    event.setThreadName("worker-" + SECRET);
    event.setMDCPropertyMap(Map.of("apiKey", SECRET));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("token", SECRET));
    return event;
  }

  private void assertRendersWithoutSecret(String rendered) {
    assertThat(rendered)
        .doesNotContain(SECRET)
        .contains("[worker-***] ERROR io.example.Payments - message *** argument ***")
        .contains("apiKey=***")
        .contains("token=\"***\"")
        .contains("java.lang.RuntimeException: failed with ***")
        .contains("Caused by: java.lang.IllegalStateException: cause has ***")
        .contains("Suppressed: java.lang.IllegalArgumentException: suppressed ***")
        .contains("at io.secretfetch.api.mask.logback.MaskingLogbackTest");
  }
}
