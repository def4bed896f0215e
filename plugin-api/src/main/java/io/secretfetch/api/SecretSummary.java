package io.secretfetch.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A listed secret: name and metadata, never a value.
 *
 * @param name the name, as a reference to this provider would use it
 * @param description a human description, or null
 * @param updatedAt when the secret last changed, or null if the provider does not say
 * @param attributes provider-specific facts (tags, category, current version), never values
 */
public record SecretSummary(
    String name, String description, Instant updatedAt, Map<String, String> attributes) {
  public SecretSummary {
    Objects.requireNonNull(name, "name");
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static SecretSummary of(String name) {
    return new SecretSummary(name, null, null, Map.of());
  }
}
