package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import io.secretfetch.api.mask.SecretMasker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A view of a logging event with every free-text part masked: message, arguments, MDC, key-value
 * pairs, thread name and the exception chain. Layouts that truncate or reformat a field therefore
 * never see a whole secret; the wrappers also mask the final rendered text.
 */
final class MaskedLoggingEvent implements ILoggingEvent {

  private final ILoggingEvent delegate;
  private final SecretMasker masker;

  MaskedLoggingEvent(ILoggingEvent delegate, SecretMasker masker) {
    this.delegate = delegate;
    this.masker = masker;
  }

  @Override
  public String getThreadName() {
    return mask(delegate.getThreadName());
  }

  @Override
  public Level getLevel() {
    return delegate.getLevel();
  }

  @Override
  public String getMessage() {
    return mask(delegate.getMessage());
  }

  @Override
  public Object[] getArgumentArray() {
    Object[] arguments = delegate.getArgumentArray();
    if (arguments == null) {
      return null;
    }
    Object[] masked = new Object[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      masked[i] = arguments[i] == null ? null : masker.mask(String.valueOf(arguments[i]));
    }
    return masked;
  }

  @Override
  public String getFormattedMessage() {
    return mask(delegate.getFormattedMessage());
  }

  @Override
  public String getLoggerName() {
    return delegate.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return delegate.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return MaskedThrowableProxy.of(delegate.getThrowableProxy(), masker);
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return delegate.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return delegate.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return delegate.getMarkerList();
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    return maskMap(delegate.getMDCPropertyMap());
  }

  /** @deprecated replaced in Logback by {@link #getMDCPropertyMap()}; masked the same way. */
  @Deprecated
  @Override
  public Map<String, String> getMdc() {
    return getMDCPropertyMap();
  }

  @Override
  public long getTimeStamp() {
    return delegate.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return delegate.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return delegate.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return delegate.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    List<KeyValuePair> pairs = delegate.getKeyValuePairs();
    if (pairs == null) {
      return null;
    }
    List<KeyValuePair> masked = new ArrayList<>(pairs.size());
    for (KeyValuePair pair : pairs) {
      Object value = pair.value == null ? null : masker.mask(String.valueOf(pair.value));
      masked.add(new KeyValuePair(mask(pair.key), value));
    }
    return masked;
  }

  @Override
  public void prepareForDeferredProcessing() {
    delegate.prepareForDeferredProcessing();
  }

  private Map<String, String> maskMap(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return map;
    }
    Map<String, String> masked = new LinkedHashMap<>();
    map.forEach((key, value) -> masked.put(mask(key), mask(value)));
    return Collections.unmodifiableMap(masked);
  }

  private String mask(String text) {
    return text == null ? null : masker.mask(text);
  }
}
