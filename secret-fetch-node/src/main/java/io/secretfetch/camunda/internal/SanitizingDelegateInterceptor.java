package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.delegate.DelegateInvocation;
import org.camunda.bpm.engine.impl.interceptor.DelegateInterceptor;

/**
 * Wraps every call into user code (delegates, listeners, expressions): an exception leaving user
 * code is sanitized at once, before any engine code wraps, logs or stores it.
 */
public final class SanitizingDelegateInterceptor implements DelegateInterceptor {
  private final DelegateInterceptor delegate;
  private final ExceptionSanitizer sanitizer;

  public SanitizingDelegateInterceptor(DelegateInterceptor delegate, ExceptionSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  @Override
  public void handleInvocation(DelegateInvocation invocation) throws Exception {
    try {
      delegate.handleInvocation(invocation);
    } catch (Exception e) {
      Throwable clean = sanitizer.sanitize(e);
      if (clean instanceof Exception ex) {
        throw ex;
      }
      throw (Error) clean;
    }
  }

  DelegateInterceptor wrapped() {
    return delegate;
  }
}
