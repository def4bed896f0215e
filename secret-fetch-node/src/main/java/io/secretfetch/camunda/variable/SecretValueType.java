package io.secretfetch.camunda.variable;

import io.secretfetch.api.SecretValue;
import java.util.Map;
import org.camunda.bpm.engine.variable.impl.type.PrimitiveValueTypeImpl;

/**
 * The primitive variable type {@code secret}: a {@link SecretValue} whose database form is its
 * reference (provider, name, resolved version, field) and never its plaintext.
 */
public final class SecretValueType extends PrimitiveValueTypeImpl {
  private static final long serialVersionUID = 1L;

  /** The type's name in the engine, the REST API ({@code "Secret"}) and Cockpit. */
  public static final String NAME = "secret";

  public static final SecretValueType SECRET = new SecretValueType();

  private SecretValueType() {
    super(NAME, SecretValue.class);
  }

  @Override
  public SecretTypedValue createValue(Object value, Map<String, Object> valueInfo) {
    return SecretTypedValue.of((SecretValue) value, Boolean.TRUE.equals(isTransient(valueInfo)));
  }
}
