package io.secretfetch.camunda.testing;

import io.secretfetch.camunda.SecretInputs;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;

/** Code that makes the engine store a secret's plaintext deep inside one of its operations. */
public final class Leakers {
  private Leakers() {}

  /** A bean for expressions: {@code ${leaker.copy(execution)}} stores the plaintext. */
  public static final class Bean {
    public void copy(DelegateExecution execution) {
      execution.setVariable("copy", SecretInputs.get(execution, "apiKey").reveal());
    }
  }

  /**
   * Holds the plaintext in a transient variable (never stored, so allowed) and throws a BPMN
   * error: a call activity passing all variables out copies it into its caller while the error
   * propagates.
   */
  public static final class TransientThenBpmnError implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("scratch",
          Variables.stringValue(SecretInputs.get(execution, "apiKey").reveal(), true));
      throw new BpmnError("FAIL", "could not call the service");
    }
  }
}
