package io.secretfetch.platform.store;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The value part of a write: given bytes or text, or a value for the store to generate. Holds a
 * copy of the given value; {@link #toString()} never shows it.
 */
public final class SecretMaterial {
  private final byte[] bytes;
  private final GeneratedValue generate;

  private SecretMaterial(byte[] bytes, GeneratedValue generate) {
    this.bytes = bytes;
    this.generate = generate;
  }

  /** A text value, stored as UTF-8; the characters are copied. */
  public static SecretMaterial text(CharSequence value) {
    Objects.requireNonNull(value, "value");
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] copy = new byte[b.remaining()];
    b.get(copy);
    if (b.hasArray()) {
      Arrays.fill(b.array(), (byte) 0);
    }
    return new SecretMaterial(copy, null);
  }

  /** A binary value; the bytes are copied. */
  public static SecretMaterial bytes(byte[] value) {
    Objects.requireNonNull(value, "value");
    return new SecretMaterial(value.clone(), null);
  }

  /** A random value drawn by the store and returned once from the write. */
  public static SecretMaterial generate(GeneratedValue spec) {
    return new SecretMaterial(null, Objects.requireNonNull(spec, "spec"));
  }

  public boolean generated() {
    return generate != null;
  }

  GeneratedValue spec() {
    return generate;
  }

  /** A copy of the given bytes; null for a generated value. */
  byte[] copyBytes() {
    return bytes == null ? null : bytes.clone();
  }

  int size() {
    return bytes == null ? 0 : bytes.length;
  }

  /** Overwrites the copy held here. */
  public void wipe() {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return generate != null ? "SecretMaterial[" + generate + "]" : "SecretMaterial[***]";
  }
}
