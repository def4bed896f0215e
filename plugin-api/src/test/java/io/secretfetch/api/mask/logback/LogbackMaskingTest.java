package io.secretfetch.api.mask.logback;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.ConfigurationEvent;
import io.secretfetch.api.mask.SecretMasker;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogbackMasking} over real Logback contexts configured by Joran: file, list and
 * asynchronous appenders, reset and reconfiguration, several maskers, and uninstalling.
 */
class LogbackMaskingTest {

  private static final String SECRET = "s3cr3t-l0gback-value";
  private static final String OTHER = "0ther-s3cret-value";
  private static final String PATTERN = "%level %logger [%thread] %msg | %mdc | %kvp%n%ex";

  @TempDir Path dir;

  private final LoggerContext context = new LoggerContext();

  LogbackMaskingTest() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // a stand-alone context has none
  }

  @Test
  void everyAppenderOfAJoranConfigurationReceivesMaskedEventsAndTheUnmaskedControlIsSeen()
      throws Exception {
    Path file = dir.resolve("app.log");
    configure(fileListAndAsyncConfig(file));
    SecretMasker masker = masker(SECRET);
    logEverywhere("control-before");

    LogbackMasking.install(context, masker);
    logEverywhere("after-install");
    List<List<ILoggingEvent>> lists = List.of(listEvents("LIST"), listEvents("NESTED"));
    context.stop(); // drains the asynchronous appender and closes the file

    List<String> lines = Files.readAllLines(file, UTF_8);
    assertThat(String.join("\n", lines)).contains("control-before " + SECRET); // the capture sees
    String after = afterMarker(lines, "after-install");
    assertThat(after).doesNotContain(SECRET).contains("after-install ***")
        .contains("user=***").contains("boom ***").contains("cause ***");
    for (List<ILoggingEvent> events : lists) {
      assertThat(events).hasSize(2);
      assertThat(render(events.get(0))).contains(SECRET);
      assertThat(render(events.get(1))).doesNotContain(SECRET).contains("after-install ***");
    }
  }

  @Test
  void aResetAndANewConfigurationAreMaskedWithoutInstallingAgain() throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("first.log")));
    LogbackMasking.install(context, masker(SECRET));

    Path second = dir.resolve("second.log");
    context.reset();
    configure("""
        <configuration>
          <appender name="SECOND" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%s</pattern></encoder>
          </appender>
          <logger name="io.app" level="DEBUG"><appender-ref ref="SECOND"/></logger>
        </configuration>""".formatted(second, PATTERN));
    context.getLogger("io.app.Flow").debug("reloaded {}", SECRET);
    context.stop();

    assertThat(Files.readString(second, UTF_8)).contains("reloaded ***").doesNotContain(SECRET);
  }

  @Test
  void aScanReloadOfTheConfigurationFileIsMasked() throws Exception {
    Path config = dir.resolve("logback.xml");
    Path before = dir.resolve("before.log");
    Path after = dir.resolve("after.log");
    Files.writeString(config, scanningConfig(before), UTF_8);
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(config.toFile());
    LogbackMasking.install(context, masker(SECRET));
    CountDownLatch reloaded = new CountDownLatch(1);
    context.addConfigurationEventListener(event -> {
      if (event.getEventType() == ConfigurationEvent.EventType.CONFIGURATION_ENDED_SUCCESSFULLY) {
        reloaded.countDown();
      }
    });

    Files.writeString(config, scanningConfig(after), UTF_8);
    Files.setLastModifiedTime(config, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertThat(reloaded.await(30, TimeUnit.SECONDS)).as("the scan reloaded the file").isTrue();
    context.getLogger("io.app").info("scanned {}", SECRET);
    context.stop();

    assertThat(Files.readString(after, UTF_8)).contains("scanned ***").doesNotContain(SECRET);
  }

  private static String scanningConfig(Path file) {
    return """
        <configuration scan="true" scanPeriod="100 milliseconds">
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%s</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>""".formatted(file, PATTERN);
  }

  @Test
  void aProgrammaticConfigurationEndedByStartIsMasked() throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("first.log")));
    LogbackMasking.install(context, masker(SECRET));

    context.reset();
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.setName("PROGRAMMATIC");
    list.start();
    root().addAppender(list);
    context.start();
    context.getLogger("io.app").warn("programmatic {}", SECRET);

    assertThat(list.list).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo("programmatic ***"));
  }

  @Test
  void aProgrammaticConfigurationAfterStopIsMaskedAsSpringBootsDefaultIs() throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("first.log")));
    LogbackMasking.install(context, masker(SECRET));

    context.stop(); // drops every context listener
    context.reset();
    Path file = dir.resolve("programmatic.log");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("FILE");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    root().addAppender(appender);
    context.start();
    context.getLogger("io.app").warn("after stop {}", SECRET);
    appender.stop();

    assertThat(Files.readString(file, UTF_8)).contains("after stop ***").doesNotContain(SECRET);
  }

  @Test
  void installingTheSameMaskerTwiceWrapsOnceAndTheOriginalsReturnWhenTheLastLeaves()
      throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("app.log")));
    Appender<ILoggingEvent> original = root().getAppender("LIST");
    SecretMasker masker = masker(SECRET);

    LogbackMasking.Installation first = LogbackMasking.install(context, masker);
    LogbackMasking.Installation second = LogbackMasking.install(context, masker);

    Appender<ILoggingEvent> attached = root().getAppender("LIST");
    assertThat(attached).isInstanceOf(MaskingAppender.class);
    assertThat(((MaskingAppender) attached).delegate()).isSameAs(original);
    first.close();
    assertThat(LogbackMasking.isInstalled(context, masker)).isTrue();
    assertThat(root().getAppender("LIST")).isSameAs(attached);
    second.close();
    assertThat(LogbackMasking.isInstalled(context, masker)).isFalse();
    assertThat(root().getAppender("LIST")).isSameAs(original);
    context.getLogger("io.app").info("uninstalled {}", SECRET);
    assertThat(listEvents("LIST")).last()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains(SECRET));
  }

  @Test
  void everyMaskerOfTheContextMasksAndOneLeavingTakesOnlyItsSecrets() throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("app.log")));
    LogbackMasking.Installation a = LogbackMasking.install(context, masker(SECRET));
    SecretMasker otherMasker = masker(OTHER);
    LogbackMasking.install(context, otherMasker);
    Logger app = context.getLogger("io.app");

    app.info("both {} {}", SECRET, OTHER);
    a.close();
    app.info("one {} {}", SECRET, OTHER);

    List<ILoggingEvent> events = listEvents("LIST");
    assertThat(events.get(0).getFormattedMessage()).isEqualTo("both *** ***");
    assertThat(events.get(1).getFormattedMessage()).isEqualTo("one " + SECRET + " ***");
    assertThat(LogbackMasking.isInstalled(context, otherMasker)).isTrue();
  }

  @Test
  void anAppenderAttachedAfterInstallationIsMaskedAfterRefresh() throws Exception {
    configure(fileListAndAsyncConfig(dir.resolve("app.log")));
    LogbackMasking.install(context, masker(SECRET));
    ListAppender<ILoggingEvent> late = new ListAppender<>();
    late.setContext(context);
    late.setName("LATE");
    late.start();
    root().addAppender(late);

    LogbackMasking.refresh(context);
    context.getLogger("io.app").info("late {}", SECRET);

    assertThat(late.list).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo("late ***"));
    assertThat(root().detachAppender("LATE")).isTrue();
  }

  private void logEverywhere(String marker) {
    Logger app = context.getLogger("io.app.Delegate");
    context.getMDCAdapter().put("user", SECRET);
    try {
      IllegalStateException failure = new IllegalStateException("boom " + SECRET,
          new IllegalArgumentException("cause " + SECRET));
      app.atWarn().setMessage(marker + " {}").addArgument(SECRET).addKeyValue("token", SECRET)
          .setCause(failure).log();
    } finally {
      context.getMDCAdapter().remove("user");
    }
  }

  private String fileListAndAsyncConfig(Path file) {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%s</pattern></encoder>
          </appender>
          <appender name="LIST" class="ch.qos.logback.core.read.ListAppender"/>
          <appender name="NESTED" class="ch.qos.logback.core.read.ListAppender"/>
          <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
            <appender-ref ref="NESTED"/>
          </appender>
          <root level="INFO">
            <appender-ref ref="FILE"/>
            <appender-ref ref="LIST"/>
            <appender-ref ref="ASYNC"/>
          </root>
        </configuration>""".formatted(file, PATTERN);
  }

  private void configure(String xml) throws Exception {
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(new ByteArrayInputStream(xml.getBytes(UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private List<ILoggingEvent> listEvents(String name) {
    Appender<ILoggingEvent> appender = root().getAppender(name);
    if (appender == null) { // nested in the asynchronous appender
      Appender<ILoggingEvent> async = root().getAppender("ASYNC");
      ch.qos.logback.classic.AsyncAppender a = (ch.qos.logback.classic.AsyncAppender)
          (async instanceof MaskingAppender m ? m.delegate() : async);
      appender = a.getAppender(name);
    }
    if (appender instanceof MaskingAppender m) {
      appender = m.delegate();
    }
    return ((ListAppender<ILoggingEvent>) appender).list;
  }

  private static String render(ILoggingEvent e) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(new LoggerContext());
    encoder.setPattern(PATTERN);
    encoder.start();
    return new String(encoder.encode(e), UTF_8) + e.getMDCPropertyMap()
        + ThrowableProxyUtil.asString(e.getThrowableProxy());
  }

  private static String afterMarker(List<String> lines, String marker) {
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        start = i;
        break;
      }
    }
    return lines.subList(start, lines.size()).stream().collect(Collectors.joining("\n"));
  }

  private Logger root() {
    return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static SecretMasker masker(String secret) {
    SecretMasker masker = new SecretMasker();
    masker.register(secret);
    return masker;
  }
}
