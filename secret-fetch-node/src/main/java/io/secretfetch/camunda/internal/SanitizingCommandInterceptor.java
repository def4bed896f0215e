package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Sits right inside the command context: every exception a command throws is sanitized before the
 * engine logs it, stores it on a failed job, turns it into an incident or hands it to the caller.
 */
public final class SanitizingCommandInterceptor extends CommandInterceptor {
  private final ExceptionSanitizer sanitizer;

  public SanitizingCommandInterceptor(ExceptionSanitizer sanitizer) {
    this.sanitizer = sanitizer;
  }

  @Override
  public <T> T execute(Command<T> command) {
    try {
      return next.execute(command);
    } catch (RuntimeException e) {
      throw sanitizer.sanitizeUnchecked(e);
    }
  }
}
