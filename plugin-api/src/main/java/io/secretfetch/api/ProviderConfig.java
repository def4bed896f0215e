package io.secretfetch.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One configured provider: the id references route by, the factory type that builds it, and its
 * settings. Settings may hold bootstrap credentials, so {@link #toString()} prints keys only.
 *
 * @param id the routing id, e.g. {@code aws-eu}
 * @param type the factory type, e.g. {@code aws}
 * @param settings string settings, as read from properties, YAML or XML
 */
public record ProviderConfig(String id, String type, Map<String, String> settings) {
  public ProviderConfig {
    if (!SecretRef.isValidProviderId(id)) {
      throw SecretException.configuration(
          "provider id '" + id + "' is not valid",
          "Use 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter");
    }
    type = type == null ? id : type;
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  /** A provider whose id is also its type. */
  public static ProviderConfig of(String id, Map<String, String> settings) {
    return new ProviderConfig(id, id, settings);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(settings.get(key)).filter(v -> !v.isBlank());
  }

  /** The setting, or a {@code CONFIGURATION} error naming the provider and the key. */
  public String required(String key) {
    return get(key)
        .orElseThrow(
            () ->
                SecretException.configuration(
                    "provider '" + id + "' needs the setting '" + key + "'",
                    "Set '" + key + "' in the configuration of provider '" + id + "'"));
  }

  /** An ISO-8601 duration ({@code PT5M}) or a number of seconds. */
  public Duration duration(String key, Duration fallback) {
    Objects.requireNonNull(fallback, "fallback");
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    String text = raw.get().trim();
    try {
      return text.chars().allMatch(Character::isDigit)
          ? Duration.ofSeconds(Long.parseLong(text))
          : Duration.parse(text);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw SecretException.configuration(
          "setting '" + key + "' of provider '" + id + "' is not a duration",
          "Write it as seconds (300) or ISO-8601 (PT5M)");
    }
  }

  public boolean flag(String key, boolean fallback) {
    return get(key).map(v -> Boolean.parseBoolean(v.trim())).orElse(fallback);
  }

  @Override
  public String toString() {
    return "ProviderConfig[id=" + id + ", type=" + type + ", keys=" + new TreeMap<>(settings).keySet()
        + "]";
  }
}
