package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes something the plugin owns when its engine closes. Camunda gives a plugin no shutdown hook;
 * what every engine's {@code ProcessEngineImpl.close()} does run (from a container's stop step, the
 * Spring factory bean or a direct call), after it has unregistered the engine and its job executor,
 * is one {@code SchemaOperationProcessEngineClose} command on the schema-operations executor. This
 * decorator of that executor closes {@code owned} once that command has run, whether or not it
 * succeeded; every other command passes through untouched.
 */
public final class CloseWithEngine implements CommandExecutor {
  private static final Logger log = LoggerFactory.getLogger(CloseWithEngine.class);
  /** Package-private and final in the engine, so it is recognised by name. */
  static final String ENGINE_CLOSE_COMMAND =
      "org.camunda.bpm.engine.impl.SchemaOperationProcessEngineClose";

  private final CommandExecutor delegate;
  private final AutoCloseable owned;
  private final String what;

  public CloseWithEngine(CommandExecutor delegate, AutoCloseable owned, String what) {
    this.delegate = delegate;
    this.owned = owned;
    this.what = what;
  }

  @Override
  public <T> T execute(Command<T> command) {
    if (!command.getClass().getName().equals(ENGINE_CLOSE_COMMAND)) {
      return delegate.execute(command);
    }
    try {
      return delegate.execute(command);
    } finally {
      try {
        owned.close();
        log.debug("Closed {} with its engine", what);
      } catch (Exception e) {
        log.warn("Closing {} with its engine failed ({})", what, e.getClass().getName());
      }
    }
  }
}
