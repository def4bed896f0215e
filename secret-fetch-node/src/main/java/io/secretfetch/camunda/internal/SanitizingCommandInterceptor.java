package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Sits right inside the command context: whatever a command throws, exception or {@link Error}, is
 * sanitized before the engine logs it ({@code ENGINE-16004}), stores it on a failed job, turns it
 * into an incident or hands it to the caller. An Error stays an Error.
 *
 * <p>A Secret Fetch refusal wrapped by the engine on its way out (a {@code ProcessEngineException}
 * around it, e.g. from BPMN error propagation) is brought to the top: the caller, the incident and
 * the log see the plugin's message first (see {@link RefusalFirst}); so is the engine's failure
 * to use a secret as text (see {@link SecretTextUses}).
 */
public final class SanitizingCommandInterceptor extends CommandInterceptor {
  private final ExceptionSanitizer sanitizer;

  public SanitizingCommandInterceptor(ExceptionSanitizer sanitizer) {
    this.sanitizer = sanitizer;
  }

  @Override
  public <T> T execute(Command<T> command) {
    SecretTextUses.enter();
    try {
      return next.execute(command);
    } catch (RuntimeException e) {
      throw sanitizer.sanitizeUnchecked(RefusalFirst.promote(SecretTextUses.translate(e)));
    } catch (Error e) {
      throw sanitizer.sanitizeError(e);
    } finally {
      SecretTextUses.exit();
    }
  }
}
