package io.secretfetch.camunda;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.internal.SecretFetchRuntime;
import io.secretfetch.camunda.placeholder.Placeholders;
import io.secretfetch.camunda.placeholder.Placeholders.Placeholder;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * How a delegate reads its secret inputs. The one way in:
 *
 * <pre>
 * try (SecretValue apiKey = SecretInputs.get(execution, "apiKey")) {
 *   request.header("Authorization", "Bearer " + apiKey.reveal());
 * }
 * </pre>
 *
 * <p>An input is a secret variable (set by a Secret Fetch task, or mapped from one with {@code
 * ${apiKey}}), or a text with {@code {{secrets.NAME}}} placeholders, which is rendered in memory
 * for the process instance's tenant. Anything else — a plain string, a number, a missing variable —
 * is refused, so a secret input can never be fed a literal by mistake. Failures are {@link
 * SecretFetchException}s naming the input, never holding a value.
 */
public final class SecretInputs {
  private SecretInputs() {}

  /**
   * The secret in variable {@code name} of {@code scope} (an execution or a task).
   *
   * @throws SecretFetchException when the variable is missing, not a secret, or no longer resolves
   */
  public static SecretValue get(VariableScope scope, String name) {
    Object value = scope.getVariable(name);
    if (value instanceof SecretValue secret) {
      return secret;
    }
    if (value instanceof String text && Placeholders.contains(text)) {
      return render(scope, name, text);
    }
    throw new SecretFetchException(
        "input '" + name + "' " + (value == null ? "is not set" : "is a "
            + value.getClass().getSimpleName() + ", not a secret") + "; map it from a Secret Fetch"
            + " result (${variable}) or write a {{secrets.NAME}} placeholder",
        SecretError.INVALID_INPUT, null, name, null);
  }

  /**
   * The secret a {@code camunda:field} stands for: a field whose text holds {@code
   * {{secrets.NAME}}} placeholders, or whose expression yields a secret variable.
   *
   * @throws SecretFetchException when the field yields anything else
   */
  public static SecretValue field(DelegateExecution execution, Expression field, String fieldName) {
    Object value = field == null ? null : field.getValue(execution);
    if (value instanceof SecretValue secret) {
      return secret;
    }
    if (value instanceof String text && Placeholders.contains(text)) {
      return render(execution, fieldName, text);
    }
    throw new SecretFetchException(
        "field '" + fieldName + "' is " + (value == null ? "not set" : "not a secret")
            + "; write a {{secrets.NAME}} placeholder or an expression naming a secret variable",
        SecretError.INVALID_INPUT, null, fieldName, null);
  }

  private static SecretValue render(VariableScope scope, String name, String text) {
    SecretFetchRuntime runtime = SecretFetchRuntime.current();
    String tenant = null;
    String instance = null;
    String activity = null;
    if (scope instanceof DelegateExecution e) {
      tenant = e.getTenantId();
      instance = e.getProcessInstanceId();
      activity = e.getCurrentActivityId();
    } else if (scope instanceof DelegateTask t) {
      tenant = t.getTenantId();
      instance = t.getProcessInstanceId();
      activity = t.getTaskDefinitionKey();
    }
    try {
      List<Placeholder> placeholders = Placeholders.parse(text);
      return runtime.render(text, placeholders, runtime.context(tenant, instance, activity));
    } catch (SecretException e) {
      throw SecretFetchException.of(activity == null ? name : activity + "/" + name, e);
    }
  }
}
