package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.app.config.AppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A webhook trigger: {@code POST /hooks/{name}} starts {@code process} with the request body in
 * {@code inputVariable}, once {@code auth} accepts the request against the secret {@code
 * secretRef}.
 *
 * @param slot the flow's slot the auth secret fills, or null: checked against the bundle manifest
 */
public record Trigger(
    String name,
    String process,
    String tenant,
    String inputVariable,
    SecretRef secretRef,
    String slot,
    TriggerAuth auth) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** Builds every trigger of the configuration; all mistakes are reported together. */
  public static List<Trigger> fromConfig(Map<String, AppConfig.Trigger> triggers) {
    List<Trigger> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    triggers.forEach((name, t) -> {
      try {
        out.add(of(name, t));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    });
    if (!problems.isEmpty()) {
      throw SecretException.configuration("invalid trigger configuration: " + String.join("; ", problems),
          "Correct the triggers section; the README lists each auth type's settings.");
    }
    return out;
  }

  static Trigger of(String name, AppConfig.Trigger t) {
    String where = "trigger '" + name + "'";
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(where + ": the name must be letters, digits, '.', '_'"
          + " or '-' (it is the URL path /hooks/NAME)");
    }
    if (t == null || t.process() == null || t.process().isBlank()) {
      throw new IllegalArgumentException(where + ": 'process' (the process definition key) is"
          + " missing");
    }
    AppConfig.Auth a = t.auth();
    if (a == null || a.type() == null) {
      throw new IllegalArgumentException(where + ": 'auth.type' is missing (api-key, hmac-sha256"
          + " or basic); unauthenticated triggers are not supported");
    }
    if (a.secretRef() == null || a.secretRef().isBlank()) {
      throw new IllegalArgumentException(where + ": 'auth.secret-ref' is missing: name the"
          + " secret that holds the key, HMAC secret or password");
    }
    SecretRef ref;
    try {
      ref = SecretRef.parse(a.secretRef());
    } catch (SecretException e) {
      throw new IllegalArgumentException(where + ": 'auth.secret-ref' " + e.detail());
    }
    TriggerAuth auth = switch (a.type()) {
      case "api-key" -> new ApiKeyAuth(a.header() != null ? a.header() : ApiKeyAuth.DEFAULT_HEADER);
      case "hmac-sha256" -> {
        Duration tolerance = a.tolerance() != null ? a.tolerance()
            : HmacSha256Auth.DEFAULT_TOLERANCE;
        if (tolerance.isNegative() || tolerance.isZero() || tolerance.toHours() > 24) {
          throw new IllegalArgumentException(where + ": 'auth.tolerance' must be above zero and"
              + " at most PT24H");
        }
        yield new HmacSha256Auth(a.header() != null ? a.header() : HmacSha256Auth.DEFAULT_HEADER,
            a.timestampHeader() != null ? a.timestampHeader()
                : HmacSha256Auth.DEFAULT_TIMESTAMP_HEADER, tolerance);
      }
      case "basic" -> {
        if (a.username() == null || a.username().isEmpty() || a.username().contains(":")) {
          throw new IllegalArgumentException(where + ": 'auth.username' is missing or contains"
              + " ':'");
        }
        yield new BasicAuth(a.username());
      }
      default -> throw new IllegalArgumentException(where + ": 'auth.type' is '" + a.type()
          + "'; use api-key, hmac-sha256 or basic");
    };
    return new Trigger(name, t.process(), t.tenant(), t.inputVariable(), ref, a.slot(), auth);
  }
}
