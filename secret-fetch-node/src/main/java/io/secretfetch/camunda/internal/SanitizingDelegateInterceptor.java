package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.delegate.DelegateInvocation;
import org.camunda.bpm.engine.impl.interceptor.DelegateInterceptor;

/**
 * Wraps every call into user code (delegates, listeners, expressions): whatever leaves user code,
 * exception or {@link Error}, is sanitized at once, before any engine code wraps, logs or stores
 * it; an Error stays an Error.
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
      SecretTextUses.afterInvocation(invocation);
    } catch (Exception | Error e) {
      // Errors too (AssertionError, StackOverflowError, ...): they are logged and stored alike.
      sanitizer.rethrowSanitized(e);
    }
  }

  DelegateInterceptor wrapped() {
    return delegate;
  }
}
