package io.secretfetch.camunda.internal;

import java.util.Map;
import org.camunda.bpm.engine.impl.ExternalTaskServiceImpl;

/**
 * The engine's external task service with the free text of a worker's failure masked before the
 * engine sees it: {@code handleFailure}'s error message (stored on the task, the incident and the
 * task's history log) and error details (stored as byte arrays, runtime and history), and {@code
 * handleBpmnError}'s code and message (which reach an {@code errorMessageVariable}). Every overload
 * of both, and the REST API, end in the two methods overridden here. Variables passed along are
 * guarded like all others ({@link PlaintextGuardSerializer}).
 *
 * <p>Masking reaches the secrets this engine's resolver has handed out (the masker's registry),
 * which is what a worker gets through the engine's secret variables.
 */
public final class SanitizingExternalTaskService extends ExternalTaskServiceImpl {
  private final ExceptionSanitizer sanitizer;

  public SanitizingExternalTaskService(ExceptionSanitizer sanitizer) {
    this.sanitizer = sanitizer;
  }

  @Override
  public void handleFailure(String externalTaskId, String workerId, String errorMessage,
      String errorDetails, int retries, long retryDuration, Map<String, Object> variables,
      Map<String, Object> localVariables) {
    super.handleFailure(externalTaskId, workerId, sanitizer.mask(errorMessage),
        sanitizer.mask(errorDetails), retries, retryDuration, variables, localVariables);
  }

  @Override
  public void handleBpmnError(String externalTaskId, String workerId, String errorCode,
      String errorMessage, Map<String, Object> variables) {
    super.handleBpmnError(externalTaskId, workerId, sanitizer.mask(errorCode),
        sanitizer.mask(errorMessage), variables);
  }
}
