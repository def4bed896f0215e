package io.secretfetch.camunda.testing;

import io.secretfetch.camunda.SecretInputs;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/** User code that fails with an {@link Error} (not an exception) carrying the secret. */
public final class Throwers {
  private Throwers() {}

  static String key(DelegateExecution execution) {
    return SecretInputs.get(execution, "apiKey").reveal();
  }

  /** A failed {@code assert}, as a test helper or a library's precondition throws it. */
  public static final class Asserts implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      throw new AssertionError("expected a valid key but got " + key(execution));
    }
  }

  /** A StackOverflowError whose message names the secret. */
  public static final class Overflows implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      throw new StackOverflowError("recursing on " + key(execution));
    }
  }

  /**
   * Touches a class whose static initializer fails with the secret in its message: the JVM throws
   * a real {@link ExceptionInInitializerError} with that exception as its cause.
   */
  public static final class FailsInitializer implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      Initializer.key = key(execution);
      BadInit.touch();
    }
  }

  /** An application's own Error subclass. */
  public static final class ThrowsOwnError implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      throw new AppError("app error for " + key(execution));
    }
  }

  /** An execution listener that fails with an AssertionError. */
  public static final class AssertingListener implements ExecutionListener {
    @Override
    public void notify(DelegateExecution execution) {
      throw new AssertionError("listener saw " + key(execution));
    }
  }

  /** A bean for expressions: {@code ${thrower.fail(apiKey)}}. */
  public static final class Bean {
    public Object fail(io.secretfetch.api.SecretValue key) {
      throw new AssertionError("expression got " + key.reveal());
    }

    /** A BPMN error from an expression's method: JUEL wraps it in an ELException. */
    public Object reject(io.secretfetch.api.SecretValue key) {
      throw new org.camunda.bpm.engine.delegate.BpmnError("REJECTED", "rejected " + key.reveal());
    }
  }

  /** An application-defined Error. */
  public static final class AppError extends Error {
    private static final long serialVersionUID = 1L;

    AppError(String message) {
      super(message);
    }
  }

  static final class Initializer {
    static volatile String key;
  }

  static final class BadInit {
    static {
      if (Initializer.key != null) {
        throw new IllegalStateException("cannot initialise with key " + Initializer.key);
      }
    }

    static void touch() {}
  }
}
