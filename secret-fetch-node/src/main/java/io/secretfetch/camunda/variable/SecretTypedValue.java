package io.secretfetch.camunda.variable;

import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import java.util.Objects;
import java.util.function.Supplier;
import org.camunda.bpm.engine.variable.impl.value.PrimitiveTypeValueImpl;

/**
 * A variable of type {@code secret}. Made from a resolved {@link SecretValue} by the Secret Fetch
 * task (or {@link #of(SecretValue)}); read back from the database it holds only the reference and
 * resolves it again, through the resolver's cache and for the variable's tenant, the first time
 * {@link #getValue()} is called.
 *
 * <p>{@link #toString()}, {@code equals} and {@code hashCode} use the reference only: printing or
 * comparing a secret variable never resolves it and never shows its value.
 */
public final class SecretTypedValue extends PrimitiveTypeValueImpl<SecretValue> {
  private static final long serialVersionUID = 1L;

  private final SecretRef ref;
  private final transient Supplier<SecretValue> resolver;

  private SecretTypedValue(SecretValue value, SecretRef ref, Supplier<SecretValue> resolver,
      boolean isTransient) {
    super(value, SecretValueType.SECRET);
    this.ref = ref;
    this.resolver = resolver;
    this.isTransient = isTransient;
  }

  /** A secret variable holding a resolved value. */
  public static SecretTypedValue of(SecretValue value) {
    return of(value, false);
  }

  public static SecretTypedValue of(SecretValue value, boolean isTransient) {
    Objects.requireNonNull(value, "value");
    return new SecretTypedValue(value, value.metadata().resolvedRef(), null, isTransient);
  }

  /** A secret variable read from the database: resolves {@code ref} on first use. */
  public static SecretTypedValue lazy(SecretRef ref, Supplier<SecretValue> resolver,
      boolean isTransient) {
    return new SecretTypedValue(null, Objects.requireNonNull(ref, "ref"),
        Objects.requireNonNull(resolver, "resolver"), isTransient);
  }

  /** The reference this variable stands for, pinned to the resolved version. Never resolves. */
  public SecretRef ref() {
    return ref;
  }

  /** Whether the value is in memory already (false for a variable read back and not yet used). */
  public boolean isResolved() {
    return value != null;
  }

  /**
   * The secret. For a variable read from the database the first call resolves it.
   *
   * @throws io.secretfetch.camunda.SecretFetchException when it no longer resolves
   */
  @Override
  public SecretValue getValue() {
    SecretValue v = value;
    if (v == null) {
      synchronized (this) {
        if (value == null) {
          value = resolver.get();
        }
        v = value;
      }
    }
    return v;
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretTypedValue other && ref.equals(other.ref);
  }

  /** {@code SecretTypedValue[platform:api-key@3, ***]}; never the value. */
  @Override
  public String toString() {
    return "SecretTypedValue[" + ref + ", ***]";
  }
}
