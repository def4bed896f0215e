package io.secretfetch.platform.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event of the {@code io.secretfetch} loggers, rendered with throwables. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.secretfetch");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  /** All captured lines: formatted message plus any stack trace. */
  public String text() {
    List<ILoggingEvent> events = List.copyOf(appender.list);
    return events.stream()
        .map(e -> e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }

  public int size() {
    return appender.list.size();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
