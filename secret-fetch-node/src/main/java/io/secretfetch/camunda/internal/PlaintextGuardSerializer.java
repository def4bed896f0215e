package io.secretfetch.camunda.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.camunda.SecretFetchException;
import org.camunda.bpm.engine.impl.variable.serializer.PrimitiveValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.StringValue;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The last line of defence against plaintext in the database: it claims every string variable that
 * contains a secret the resolver handed out (as itself or in an encoded form the masker knows) and
 * refuses to store it. This catches what deployment checks cannot see, such as a delegate that
 * calls {@code setVariable("x", secret.reveal())} or an expression {@code ${apiKey.reveal()}}.
 * Strings without a secret are left to the engine's own serializer.
 */
public final class PlaintextGuardSerializer extends PrimitiveValueSerializer<StringValue> {
  private final ExceptionSanitizer sanitizer;

  public PlaintextGuardSerializer(ExceptionSanitizer sanitizer) {
    super(ValueType.STRING);
    this.sanitizer = sanitizer;
  }

  @Override
  public String getName() {
    return "secret-fetch-plaintext-guard";
  }

  @Override
  protected boolean canWriteValue(TypedValue value) {
    return value.getValue() instanceof String s && !s.isEmpty() && !sanitizer.mask(s).equals(s);
  }

  @Override
  public StringValue convertToTypedValue(UntypedValueImpl untypedValue) {
    return Variables.stringValue((String) untypedValue.getValue(), untypedValue.isTransient());
  }

  @Override
  public void writeValue(StringValue value, ValueFields fields) {
    throw new SecretFetchException(
        "variable '" + fields.getName() + "' would store a secret value as plain text; keep"
            + " secrets in secret variables: set the SecretValue itself (not reveal()) and read it"
            + " with SecretInputs.get",
        SecretError.INVALID_INPUT, null, fields.getName(), null);
  }

  @Override
  public StringValue readValue(ValueFields fields, boolean asTransientValue) {
    // Never written, so never read; kept total for the engine's sake.
    return Variables.stringValue(fields.getTextValue(), asTransientValue);
  }
}
