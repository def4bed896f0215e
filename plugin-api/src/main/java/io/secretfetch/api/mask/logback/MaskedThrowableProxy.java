package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.secretfetch.api.mask.SecretMasker;

/** A view of a logged exception whose messages are masked; class names and frames pass through. */
final class MaskedThrowableProxy implements IThrowableProxy {

  private final IThrowableProxy delegate;
  private final SecretMasker masker;

  private MaskedThrowableProxy(IThrowableProxy delegate, SecretMasker masker) {
    this.delegate = delegate;
    this.masker = masker;
  }

  static IThrowableProxy of(IThrowableProxy proxy, SecretMasker masker) {
    return proxy == null ? null : new MaskedThrowableProxy(proxy, masker);
  }

  @Override
  public String getMessage() {
    return maskOrNull(delegate.getMessage());
  }

  @Override
  public String getOverridingMessage() {
    return maskOrNull(delegate.getOverridingMessage());
  }

  @Override
  public String getClassName() {
    return delegate.getClassName();
  }

  @Override
  public StackTraceElementProxy[] getStackTraceElementProxyArray() {
    return delegate.getStackTraceElementProxyArray();
  }

  @Override
  public int getCommonFrames() {
    return delegate.getCommonFrames();
  }

  @Override
  public IThrowableProxy getCause() {
    return of(delegate.getCause(), masker);
  }

  @Override
  public IThrowableProxy[] getSuppressed() {
    IThrowableProxy[] suppressed = delegate.getSuppressed();
    if (suppressed == null) {
      return null;
    }
    IThrowableProxy[] masked = new IThrowableProxy[suppressed.length];
    for (int i = 0; i < suppressed.length; i++) {
      masked[i] = of(suppressed[i], masker);
    }
    return masked;
  }

  @Override
  public boolean isCyclic() {
    return delegate.isCyclic();
  }

  private String maskOrNull(String text) {
    return text == null ? null : masker.mask(text);
  }
}
