package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.Status;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.api.mask.internal.MaskerChain;
import java.util.List;
import java.util.Objects;

/**
 * Stands in for an appender on a logger and hands it every event with its free-text parts masked
 * (message, arguments, MDC, key-value pairs, thread name, the exception chain), by every masker of
 * the chain in turn. {@link LogbackMasking} puts one in place of each appender it finds, so any
 * appender (console, file, a list, a custom or an asynchronous one, and whatever an asynchronous
 * appender feeds) only ever sees masked events.
 *
 * <p>It carries the wrapped appender's name, so {@code logger.getAppender(name)} and
 * {@code logger.detachAppender(name)} find it; {@link #delegate()} returns the appender it wraps.
 * Its life cycle, filters and status calls are the wrapped appender's.
 */
public final class MaskingAppender implements Appender<ILoggingEvent> {

  private final Appender<ILoggingEvent> delegate;
  private final MaskerChain chain;

  MaskingAppender(Appender<ILoggingEvent> delegate, MaskerChain chain) {
    this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    this.chain = Objects.requireNonNull(chain, "chain must not be null");
  }

  /** The appender that receives the masked events. */
  public Appender<ILoggingEvent> delegate() {
    return delegate;
  }

  boolean belongsTo(MaskerChain other) {
    return chain == other;
  }

  @Override
  public void doAppend(ILoggingEvent event) {
    ILoggingEvent masked = event;
    for (SecretMasker masker : chain.maskers()) {
      masked = new MaskedLoggingEvent(masked, masker);
    }
    delegate.doAppend(masked);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public void setName(String name) {
    delegate.setName(name);
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public boolean isStarted() {
    return delegate.isStarted();
  }

  @Override
  public void setContext(Context context) {
    delegate.setContext(context);
  }

  @Override
  public Context getContext() {
    return delegate.getContext();
  }

  @Override
  public void addStatus(Status status) {
    delegate.addStatus(status);
  }

  @Override
  public void addInfo(String msg) {
    delegate.addInfo(msg);
  }

  @Override
  public void addInfo(String msg, Throwable ex) {
    delegate.addInfo(msg, ex);
  }

  @Override
  public void addWarn(String msg) {
    delegate.addWarn(msg);
  }

  @Override
  public void addWarn(String msg, Throwable ex) {
    delegate.addWarn(msg, ex);
  }

  @Override
  public void addError(String msg) {
    delegate.addError(msg);
  }

  @Override
  public void addError(String msg, Throwable ex) {
    delegate.addError(msg, ex);
  }

  @Override
  public void addFilter(Filter<ILoggingEvent> filter) {
    delegate.addFilter(filter);
  }

  @Override
  public void clearAllFilters() {
    delegate.clearAllFilters();
  }

  @Override
  public List<Filter<ILoggingEvent>> getCopyOfAttachedFiltersList() {
    return delegate.getCopyOfAttachedFiltersList();
  }

  @Override
  public FilterReply getFilterChainDecision(ILoggingEvent event) {
    return delegate.getFilterChainDecision(event);
  }

  @Override
  public String toString() {
    return "MaskingAppender[" + delegate.getName() + "]";
  }
}
