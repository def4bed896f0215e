package io.secretfetch.platform.store;

import io.secretfetch.platform.audit.AuditAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates and rotations that {@link PlatformSecretStore#write} applies in one transaction: all of
 * them, or none. {@link #toString()} names the writes, never a value.
 */
public final class WriteBatch {
  /** One write: exactly one of {@code create} and {@code rotation} is set. */
  record Entry(String name, NewSecret create, Rotation rotation) {
    AuditAction action() {
      return create != null ? AuditAction.CREATE : AuditAction.ROTATE;
    }

    SecretMaterial value() {
      return create != null ? create.value() : rotation.value();
    }

    @Override
    public String toString() {
      return (create != null ? "create " : "rotate ") + name;
    }
  }

  private final List<Entry> entries;

  private WriteBatch(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A batch that creates each of {@code secrets}. */
  public static WriteBatch creating(List<NewSecret> secrets) {
    Builder b = builder();
    secrets.forEach(b::create);
    return b.build();
  }

  List<Entry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "WriteBatch" + entries;
  }

  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    /** Creates {@code secret} with its version 1, as {@link PlatformSecretStore#create}. */
    public Builder create(NewSecret secret) {
      Objects.requireNonNull(secret, "secret == null");
      entries.add(new Entry(secret.name(), secret, null));
      return this;
    }

    /** Adds a version to secret {@code name}, as {@link PlatformSecretStore#rotate}. */
    public Builder rotate(String name, Rotation rotation) {
      entries.add(new Entry(name, null, Objects.requireNonNull(rotation, "rotation == null")));
      return this;
    }

    public WriteBatch build() {
      return new WriteBatch(entries);
    }
  }
}
