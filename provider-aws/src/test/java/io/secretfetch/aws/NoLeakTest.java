package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.testing.FakeAws.Fault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secret values and credentials appear in no exception, no {@code toString}, no log line of ours at
 * any level, and no log line of anyone's at INFO or above.
 *
 * <p>Everything is captured at TRACE, but the AWS SDK's own DEBUG output is exempt: its SigV4
 * signer logs the canonical request (session token included) and its retry logs echo service
 * error messages. The README tells operators to keep {@code software.amazon.awssdk} at INFO.
 */
class NoLeakTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String PLANTED = "planted-Value-8d1f0c";

  private final Fixture f = new Fixture();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;

  @BeforeEach
  void captureEverything() {
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void restore() {
    root.detachAppender(appender);
    root.setLevel(rootLevel);
    f.close();
  }

  @Test
  void valuesAndKeysNeverLeak() {
    List<String> texts = new ArrayList<>();
    f.with(AwsOptions.ROLE_ARN, "arn:aws:iam::123456789012:role/reader")
        .with(AwsOptions.EXTERNAL_ID, "external-id-is-not-printed")
        .with(AwsOptions.STS_ENDPOINT, f.aws.uri().toString());
    f.aws.putString("prod/db", "{\"password\":\"" + PLANTED + "\"}");
    f.aws.putBinary("prod/bin", PLANTED.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    f.aws.putString("prod/denied", PLANTED);
    f.aws.deny("prod/denied");

    try (SecretValue v = f.resolver().resolve("aws:prod/db#password", CTX)) {
      assertThat(v.reveal()).isEqualTo(PLANTED);
      texts.add(v.toString());
    }
    try (SecretValue v = f.provider().fetch(SecretRef.parse("aws:prod/bin"), CTX)) {
      texts.add(v.toString());
    }
    for (SecretCheck c :
        f.provider()
            .check(
                List.of(
                    SecretRef.parse("aws:prod/db"),
                    SecretRef.parse("aws:prod/bin"),
                    SecretRef.parse("aws:prod/denied"),
                    SecretRef.parse("aws:prod/db@AWSCURRENT")),
                CTX)
            .values()) {
      texts.add(String.valueOf(c));
      if (c.problem() != null) {
        texts.add(stackTrace(c.problem()));
      }
    }
    texts.add(f.provider().list("prod/", CTX).toString());
    texts.add(stackTrace(expectFailure("aws:prod/denied")));
    f.aws.failNext(3, Fault.error(500, "InternalServiceError", "body with " + PLANTED));
    texts.add(stackTrace(expectFailure("aws:prod/other")));
    f.aws.failNext(1, Fault.error(400, "InvalidParameterException", "echo " + PLANTED));
    texts.add(stackTrace(expectFailure("aws:prod/other")));
    texts.add(f.provider().toString());
    texts.add(f.provider().options().toString());

    for (ILoggingEvent e : appender.list) {
      boolean ours = e.getLoggerName().startsWith("io.secretfetch");
      if (!ours && !e.getLevel().isGreaterOrEqual(Level.INFO)) {
        continue;
      }
      texts.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        texts.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }

    assertThat(appender.list).as("the SDK logged at TRACE").isNotEmpty();
    assertThat(appender.list)
        .as("our own loggers spoke")
        .anyMatch(e -> e.getLoggerName().startsWith("io.secretfetch"));
    assertThat(texts)
        .allSatisfy(
            t ->
                assertThat(t)
                    .doesNotContain(PLANTED)
                    .doesNotContain(Fixture.SECRET_ACCESS_KEY)
                    .doesNotContain("temporarySecret")
                    .doesNotContain("FwoGZXIvYXdzEXAMPLETOKEN")
                    .doesNotContain("external-id-is-not-printed"));
  }

  private SecretException expectFailure(String ref) {
    try (SecretValue v = f.provider().fetch(SecretRef.parse(ref), CTX)) {
      throw new AssertionError("expected a failure, got " + v);
    } catch (SecretException e) {
      return e;
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
