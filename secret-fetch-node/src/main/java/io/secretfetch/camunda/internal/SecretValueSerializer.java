package io.secretfetch.camunda.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.variable.SecretTypedValue;
import io.secretfetch.camunda.variable.SecretValueType;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricVariableInstanceEntity;
import org.camunda.bpm.engine.impl.persistence.entity.VariableInstanceEntity;
import org.camunda.bpm.engine.impl.variable.serializer.PrimitiveValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * Stores a secret variable as its reference: {@code TEXT_} holds the canonical reference pinned to
 * the resolved version ({@code provider:name@version[#field]}), {@code TEXT2_} a format marker;
 * nothing else is written, so the runtime table, history and byte arrays never see the value. Read
 * back, the variable resolves the reference again for its own tenant, through the resolver cache.
 */
public final class SecretValueSerializer extends PrimitiveValueSerializer<SecretTypedValue> {
  static final String FORMAT = "secret-ref/1";
  private static final int MAX_TEXT = 4000;

  private final SecretFetchRuntime runtime;

  public SecretValueSerializer(SecretFetchRuntime runtime) {
    super(SecretValueType.SECRET);
    this.runtime = runtime;
  }

  @Override
  public SecretTypedValue convertToTypedValue(UntypedValueImpl untypedValue) {
    return SecretTypedValue.of((SecretValue) untypedValue.getValue(), untypedValue.isTransient());
  }

  @Override
  protected boolean canWriteValue(TypedValue value) {
    // A null value has no reference to store; leave it to the null serializer.
    return value.getValue() instanceof SecretValue || value instanceof SecretTypedValue;
  }

  @Override
  public void writeValue(SecretTypedValue value, ValueFields fields) {
    if (value.isResolved() && runtime.isRendered(value.getValue())) {
      throw new SecretFetchException(
          "variable '" + fields.getName() + "' would store a value rendered from a text with"
              + " secret placeholders; such values live in memory only. Store the secret itself"
              + " (a Secret Fetch result) and render the text where it is used",
          SecretError.INVALID_INPUT, value.ref(), fields.getName(), null);
    }
    String text = value.ref().toString();
    if (text.length() > MAX_TEXT) {
      throw new SecretFetchException(
          "variable '" + fields.getName() + "': the secret reference is " + text.length()
              + " characters long, more than the " + MAX_TEXT + " a variable can hold; use a"
              + " shorter secret name",
          SecretError.INVALID_REFERENCE, value.ref(), fields.getName(), null);
    }
    fields.setTextValue(text);
    fields.setTextValue2(FORMAT);
  }

  @Override
  public SecretTypedValue readValue(ValueFields fields, boolean asTransientValue) {
    SecretRef ref = SecretRef.parse(fields.getTextValue());
    String name = fields.getName();
    Owner owner = owner(fields);
    return SecretTypedValue.lazy(
        ref,
        () -> {
          if (owner == null) {
            // Never guess the tenant: resolving as the default tenant could cross tenants.
            throw new SecretFetchException(
                "secret variable '" + name + "' was read from a "
                    + fields.getClass().getName() + ", which does not say which tenant owns it,"
                    + " so it is not resolved; read it through the runtime or history service",
                SecretError.CONFIGURATION, ref, name, null);
          }
          try {
            return runtime.resolver().resolve(
                ref, runtime.context(owner.tenantId, owner.processInstanceId, null));
          } catch (SecretException e) {
            throw new SecretFetchException(
                "secret variable '" + name + "' no longer resolves: " + e.getMessage(),
                e.error(), ref, name, e);
          }
        },
        asTransientValue);
  }

  private record Owner(String tenantId, String processInstanceId) {}

  /** The tenant and process instance a stored variable belongs to, or null if unknown. */
  private static Owner owner(ValueFields fields) {
    if (fields instanceof VariableInstanceEntity v) {
      return new Owner(v.getTenantId(), v.getProcessInstanceId());
    }
    if (fields instanceof HistoricVariableInstanceEntity h) {
      return new Owner(h.getTenantId(), h.getProcessInstanceId());
    }
    if (fields instanceof HistoricVariableUpdateEventEntity d) {
      return new Owner(d.getTenantId(), d.getProcessInstanceId());
    }
    return null;
  }
}
