package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;

/**
 * Hands the failed-job command (which writes the job's exception message and stack trace, and the
 * incident) a sanitized exception.
 */
public final class SanitizingFailedJobCommandFactory implements FailedJobCommandFactory {
  private final FailedJobCommandFactory delegate;
  private final ExceptionSanitizer sanitizer;

  public SanitizingFailedJobCommandFactory(
      FailedJobCommandFactory delegate, ExceptionSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  @Override
  public Command<Object> getCommand(String jobId, Throwable exception) {
    return delegate.getCommand(jobId, sanitizer.sanitize(exception));
  }
}
