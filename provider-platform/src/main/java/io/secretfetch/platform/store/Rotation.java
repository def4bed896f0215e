package io.secretfetch.platform.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A new version for an existing secret. With {@link Builder#expectedVersion(int)} the write is a
 * check-and-set: it fails with {@code CONFLICT} unless that version is still the active one.
 */
public final class Rotation {
  private final SecretMaterial value;
  private final Integer expectedVersion;
  private final Optional<Instant> expiresAt;

  private Rotation(Builder b) {
    this.value = Objects.requireNonNull(b.value, "value == null: call value(...) or generate(...)");
    this.expectedVersion = b.expectedVersion;
    this.expiresAt = b.expiresAt;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A rotation to {@code text}, without check-and-set, keeping the expiry. */
  public static Rotation to(CharSequence text) {
    return builder().value(text).build();
  }

  public SecretMaterial value() {
    return value;
  }

  /** The version the caller believes active, or null for an unconditional write. */
  public Integer expectedVersion() {
    return expectedVersion;
  }

  /**
   * Null: keep the secret's expiry. Present and empty: clear it. Present with a value: set it.
   */
  public Optional<Instant> expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "Rotation[value=" + value + ", expectedVersion=" + expectedVersion + ", expiresAt="
        + expiresAt + "]";
  }

  public static final class Builder {
    private SecretMaterial value;
    private Integer expectedVersion;
    private Optional<Instant> expiresAt;

    private Builder() {}

    public Builder value(SecretMaterial material) {
      this.value = Objects.requireNonNull(material, "material == null");
      return this;
    }

    public Builder value(CharSequence text) {
      return value(SecretMaterial.text(text));
    }

    public Builder value(byte[] bytes) {
      return value(SecretMaterial.bytes(bytes));
    }

    public Builder generate(GeneratedValue spec) {
      return value(SecretMaterial.generate(spec));
    }

    public Builder expectedVersion(int version) {
      this.expectedVersion = version;
      return this;
    }

    /** Sets a new expiry; null clears it. Without this call the expiry stays as it is. */
    public Builder expiresAt(Instant when) {
      this.expiresAt = Optional.ofNullable(when);
      return this;
    }

    public Rotation build() {
      return new Rotation(this);
    }
  }
}
