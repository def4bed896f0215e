package io.secretfetch.platform.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Changes to a secret's metadata; fields not set stay as they are. An empty {@link Optional}
 * clears a field.
 */
public final class MetadataUpdate {
  private final Optional<String> description;
  private final Optional<String> owner;
  private final SecretCategory category;
  private final Map<String, String> tags;
  private final Optional<Instant> expiresAt;

  private MetadataUpdate(Builder b) {
    this.description = b.description;
    this.owner = b.owner;
    this.category = b.category;
    this.tags = b.tags == null ? null : Map.copyOf(b.tags);
    this.expiresAt = b.expiresAt;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Null: unchanged. */
  public Optional<String> description() {
    return description;
  }

  /** Null: unchanged. */
  public Optional<String> owner() {
    return owner;
  }

  /** Null: unchanged. */
  public SecretCategory category() {
    return category;
  }

  /** Null: unchanged; otherwise the complete new set of tags. */
  public Map<String, String> tags() {
    return tags;
  }

  /** Null: unchanged. */
  public Optional<Instant> expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "MetadataUpdate[description=" + (description != null) + ", owner=" + owner
        + ", category=" + category + ", tags=" + (tags == null ? null : new TreeMap<>(tags))
        + ", expiresAt=" + expiresAt + "]";
  }

  public static final class Builder {
    private Optional<String> description;
    private Optional<String> owner;
    private SecretCategory category;
    private Map<String, String> tags;
    private Optional<Instant> expiresAt;

    private Builder() {}

    /** Sets the description; null clears it. */
    public Builder description(String text) {
      this.description = Optional.ofNullable(text);
      return this;
    }

    /** Sets the owner; null clears it. */
    public Builder owner(String who) {
      this.owner = Optional.ofNullable(who);
      return this;
    }

    public Builder category(SecretCategory c) {
      this.category = Objects.requireNonNull(c, "category == null");
      return this;
    }

    /** Replaces all tags with {@code all} (empty: remove all). */
    public Builder tags(Map<String, String> all) {
      this.tags = new TreeMap<>(all);
      return this;
    }

    /** Sets the expiry; null clears it. */
    public Builder expiresAt(Instant when) {
      this.expiresAt = Optional.ofNullable(when);
      return this;
    }

    public MetadataUpdate build() {
      return new MetadataUpdate(this);
    }
  }
}
