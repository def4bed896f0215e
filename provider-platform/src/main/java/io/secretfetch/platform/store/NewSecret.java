package io.secretfetch.platform.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A secret to create. Build with {@link #builder(String)}; {@link #toString()} never shows the
 * value.
 */
public final class NewSecret {
  private final String name;
  private final SecretMaterial value;
  private final String description;
  private final String owner;
  private final SecretCategory category;
  private final Map<String, String> tags;
  private final Instant expiresAt;

  private NewSecret(Builder b) {
    this.name = b.name;
    this.value = Objects.requireNonNull(b.value, "value == null: call value(...) or generate(...)");
    this.description = b.description;
    this.owner = b.owner;
    this.category = b.category;
    this.tags = Map.copyOf(b.tags);
    this.expiresAt = b.expiresAt;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public SecretMaterial value() {
    return value;
  }

  public String description() {
    return description;
  }

  public String owner() {
    return owner;
  }

  public SecretCategory category() {
    return category;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "NewSecret[name=" + name + ", value=" + value + ", category=" + category.code()
        + ", tags=" + new TreeMap<>(tags).keySet() + ", expiresAt=" + expiresAt + "]";
  }

  public static final class Builder {
    private final String name;
    private SecretMaterial value;
    private String description;
    private String owner;
    private SecretCategory category = SecretCategory.OTHER;
    private final Map<String, String> tags = new TreeMap<>();
    private Instant expiresAt;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
    }

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

    public Builder description(String text) {
      this.description = text;
      return this;
    }

    public Builder owner(String who) {
      this.owner = who;
      return this;
    }

    public Builder category(SecretCategory c) {
      this.category = Objects.requireNonNull(c, "category == null");
      return this;
    }

    public Builder tag(String key, String tagValue) {
      tags.put(Objects.requireNonNull(key, "tag key == null"),
          Objects.requireNonNull(tagValue, "tag value == null"));
      return this;
    }

    public Builder tags(Map<String, String> all) {
      all.forEach(this::tag);
      return this;
    }

    public Builder expiresAt(Instant when) {
      this.expiresAt = when;
      return this;
    }

    public NewSecret build() {
      return new NewSecret(this);
    }
  }
}
