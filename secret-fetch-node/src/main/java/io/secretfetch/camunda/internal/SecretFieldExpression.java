package io.secretfetch.camunda.internal;

import io.secretfetch.camunda.SecretInputs;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The value of a {@code camunda:field} that its delegate declares a secret ({@code @SecretInput}):
 * evaluating it yields the {@link io.secretfetch.api.SecretValue} — placeholders in a text
 * rendered in memory for the instance's tenant, or the secret variable an expression names — and
 * never the text of the field. Installed at parse time; the delegate's {@code Expression} setter
 * receives it as usual.
 */
public final class SecretFieldExpression implements Expression {
  private final Expression field;
  private final String name;

  public SecretFieldExpression(Expression field, String name) {
    this.field = field;
    this.name = name;
  }

  /**
   * @throws io.secretfetch.camunda.SecretFetchException when the field yields no secret
   */
  @Override
  public Object getValue(VariableScope scope) {
    if (scope instanceof DelegateExecution execution) {
      return SecretInputs.field(execution, field, name);
    }
    return field.getValue(scope);
  }

  @Override
  public void setValue(Object value, VariableScope scope) {
    field.setValue(value, scope);
  }

  /** The field as written in the model: placeholders or an expression, never a value. */
  @Override
  public String getExpressionText() {
    return field.getExpressionText();
  }

  @Override
  public boolean isLiteralText() {
    return false;
  }

  @Override
  public String toString() {
    return "SecretFieldExpression[" + name + "]";
  }
}
