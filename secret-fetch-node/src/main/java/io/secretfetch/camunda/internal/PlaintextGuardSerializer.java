package io.secretfetch.camunda.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.camunda.SecretFetchException;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.impl.variable.serializer.VariableSerializerFactory;
import org.camunda.bpm.engine.impl.variable.serializer.VariableSerializers;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The last line of defence against plaintext in the database: wraps each of the engine's variable
 * serializers (string, bytes, file, Java-serialized objects, Spin's JSON/XML when present, custom
 * ones) and refuses a variable whose stored form — text columns or byte array, read as UTF-8 and
 * as ISO-8859-1 — contains a secret the resolver handed out, as itself or in an encoded form the
 * masker knows (base64, percent, JSON escapes, ...). This catches what deployment checks cannot
 * see, such as {@code setVariable("x", secret.reveal())}, {@code ${apiKey.reveal()}}, a JSON string
 * or a serialized object carrying the value.
 *
 * <p>The delegate writes into scratch fields first, so a refused value never reaches the entity:
 * no byte array row is queued, even when the caller catches the exception. Serializers of a
 * process application (used in its context) are not wrapped.
 */
public final class PlaintextGuardSerializer<T extends TypedValue>
    implements TypedValueSerializer<T> {
  private final TypedValueSerializer<T> delegate;
  private final ExceptionSanitizer sanitizer;

  PlaintextGuardSerializer(TypedValueSerializer<T> delegate, ExceptionSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  /**
   * Wraps every serializer of {@code config} (and its fallback factory's), except the secret
   * type's own, which stores references only. Call once the engine's serializers are built.
   */
  @SuppressWarnings({"rawtypes", "unchecked"}) // the engine's own API: raw serializers
  public static void guardAll(ProcessEngineConfigurationImpl config, ExceptionSanitizer sanitizer) {
    VariableSerializers serializers = config.getVariableSerializers();
    for (TypedValueSerializer<?> s : List.copyOf(serializers.getSerializers())) {
      if (s instanceof PlaintextGuardSerializer || s instanceof SecretValueSerializer) {
        continue;
      }
      int index = serializers.getSerializerIndex(s);
      serializers.removeSerializer(s);
      serializers.addSerializer(new PlaintextGuardSerializer(s, sanitizer), index);
    }
    VariableSerializerFactory fallback = config.getFallbackSerializerFactory();
    if (fallback != null && !(fallback instanceof GuardedFactory)) {
      config.setFallbackSerializerFactory(new GuardedFactory(fallback, sanitizer));
    }
  }

  @Override
  public void writeValue(T value, ValueFields fields) {
    Scratch scratch = new Scratch(fields.getName());
    delegate.writeValue(value, scratch);
    if (holdsSecret(scratch.text) || holdsSecret(scratch.text2) || holdsSecret(scratch.bytes)) {
      // Queries serialize their comparison values the same way; no search by a secret's value.
      String message = GuardMessages.refusal(fields, delegate.getType().getName());
      throw new SecretFetchException(message, SecretError.INVALID_INPUT, null, fields.getName(),
          null);
    }
    scratch.copyTo(fields);
  }

  private boolean holdsSecret(String text) {
    return sanitizer.detector().inText(text);
  }

  private boolean holdsSecret(byte[] bytes) {
    return sanitizer.detector().inBytes(bytes);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public ValueType getType() {
    return delegate.getType();
  }

  @Override
  public T readValue(ValueFields fields, boolean deserializeValue, boolean asTransientValue) {
    return delegate.readValue(fields, deserializeValue, asTransientValue);
  }

  @Override
  public boolean canHandle(TypedValue value) {
    return delegate.canHandle(value);
  }

  @Override
  public T convertToTypedValue(UntypedValueImpl untypedValue) {
    return delegate.convertToTypedValue(untypedValue);
  }

  @Override
  public String getSerializationDataformat() {
    return delegate.getSerializationDataformat();
  }

  @Override
  public boolean isMutableValue(T typedValue) {
    return delegate.isMutableValue(typedValue);
  }

  /** What a serializer wrote, and which fields it set, to be copied once found clean. */
  private static final class Scratch implements ValueFields {
    private final String name;
    private String text;
    private String text2;
    private Long longValue;
    private Double doubleValue;
    private byte[] bytes;
    private boolean textSet;
    private boolean text2Set;
    private boolean longSet;
    private boolean doubleSet;
    private boolean bytesSet;

    Scratch(String name) {
      this.name = name;
    }

    void copyTo(ValueFields fields) {
      if (textSet) {
        fields.setTextValue(text);
      }
      if (text2Set) {
        fields.setTextValue2(text2);
      }
      if (longSet) {
        fields.setLongValue(longValue);
      }
      if (doubleSet) {
        fields.setDoubleValue(doubleValue);
      }
      if (bytesSet) {
        fields.setByteArrayValue(bytes);
      }
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getTextValue() {
      return text;
    }

    @Override
    public void setTextValue(String textValue) {
      text = textValue;
      textSet = true;
    }

    @Override
    public String getTextValue2() {
      return text2;
    }

    @Override
    public void setTextValue2(String textValue2) {
      text2 = textValue2;
      text2Set = true;
    }

    @Override
    public Long getLongValue() {
      return longValue;
    }

    @Override
    public void setLongValue(Long value) {
      longValue = value;
      longSet = true;
    }

    @Override
    public Double getDoubleValue() {
      return doubleValue;
    }

    @Override
    public void setDoubleValue(Double value) {
      doubleValue = value;
      doubleSet = true;
    }

    @Override
    public byte[] getByteArrayValue() {
      return bytes;
    }

    @Override
    public void setByteArrayValue(byte[] value) {
      bytes = value;
      bytesSet = true;
    }
  }

  /** Guards the serializers a fallback factory (e.g. Spin's) hands out for unknown formats. */
  private record GuardedFactory(VariableSerializerFactory delegate, ExceptionSanitizer sanitizer)
      implements VariableSerializerFactory {
    @Override
    public TypedValueSerializer<?> getSerializer(String serializerName) {
      return guard(delegate.getSerializer(serializerName));
    }

    @Override
    public TypedValueSerializer<?> getSerializer(TypedValue value) {
      return guard(delegate.getSerializer(value));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private TypedValueSerializer<?> guard(TypedValueSerializer<?> s) {
      return s == null || s instanceof PlaintextGuardSerializer ? s
          : new PlaintextGuardSerializer(s, sanitizer);
    }
  }
}
