package io.secretfetch.api.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.secretfetch.api.SecretValue;
import java.io.IOException;

/** Writes a {@link SecretValue} as its reference and a mask, so no bean walk reaches the bytes. */
public final class SecretValueJsonSerializer extends StdSerializer<SecretValue> {
  private static final long serialVersionUID = 1L;

  public SecretValueJsonSerializer() {
    super(SecretValue.class);
  }

  @Override
  public void serialize(SecretValue value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("ref", value.ref().toString());
    gen.writeStringField("version", value.version());
    gen.writeStringField("value", "***");
    gen.writeEndObject();
  }
}
