package io.secretfetch.camunda.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event, fully rendered (message with arguments, MDC, exception with causes and
 * suppressed), with the given loggers turned up to DEBUG; {@link #close()} restores the levels.
 *
 * <p>It adds no masking of its own. Attached before an engine starts, the plugin's log masking
 * wraps it like any other appender (so it records what a configured appender would write);
 * attached after, it records events as the loggers produce them.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Map<Logger, Level> saved = new HashMap<>();
  private final Logger root;

  public LogCapture(String... debugLoggers) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(ctx);
    setName("capture-" + System.identityHashCode(this));
    start();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(this);
    for (String name : debugLoggers) {
      Logger l = ctx.getLogger(name);
      saved.put(l, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
  }

  @Override
  protected void append(ILoggingEvent e) {
    StringBuilder sb = new StringBuilder()
        .append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
        .append(e.getMDCPropertyMap()).append(' ').append(e.getFormattedMessage());
    if (e.getThrowableProxy() != null) {
      sb.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    lines.add(sb.toString());
  }

  public List<String> lines() {
    return new ArrayList<>(lines);
  }

  @Override
  public void close() {
    // By name: the plugin's log masking may have put a wrapper carrying this name in its place.
    root.detachAppender(getName());
    root.detachAppender(this);
    saved.forEach(Logger::setLevel);
    stop();
  }
}
