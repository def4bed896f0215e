package io.secretfetch.platform.http.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with ({@code application/problem+json}). Its detail never
 * holds a value; a decryption failure carries no detail at all.
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String TYPE_BASE = "https://secret-fetch.io/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final transient Map<String, Object> extra = new LinkedHashMap<>();

  public ApiProblem(int status, String type, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public static ApiProblem invalid(String field, String detail) {
    return new ApiProblem(400, "invalid-input", "Invalid input", detail).with("field", field);
  }

  public static ApiProblem unauthorized(String detail) {
    return new ApiProblem(401, "unauthorized", "Authentication required", detail);
  }

  public static ApiProblem missingScope(String scope) {
    return new ApiProblem(403, "missing-scope", "Forbidden",
        "this request needs the scope " + scope).with("missing_scope", scope);
  }

  public static ApiProblem tooLarge(long limit) {
    return new ApiProblem(413, "too-large", "Request too large",
        "the request body is larger than " + limit + " bytes").with("limit_bytes", limit);
  }

  public ApiProblem with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  public int status() {
    return status;
  }

  /** The problem as a JSON object. */
  public Map<String, Object> body(String instance) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("type", TYPE_BASE + type);
    b.put("title", title);
    b.put("status", status);
    if (getMessage() != null) {
      b.put("detail", getMessage());
    }
    if (instance != null) {
      b.put("instance", instance);
    }
    b.putAll(extra);
    return b;
  }

  /**
   * The problem for a store failure. {@code ifMatchGiven} turns a check-and-set conflict into 412.
   */
  public static ApiProblem of(SecretException e, boolean ifMatchGiven) {
    SecretError err = e.error();
    ApiProblem p = switch (err) {
      case NOT_FOUND -> new ApiProblem(404, "not-found", "Secret not found", e.detail());
      case VERSION_NOT_FOUND -> new ApiProblem(404, "version-not-found", "Version not found",
          e.detail());
      case ACCESS_DENIED -> new ApiProblem(403, "access-denied", "Forbidden", e.detail());
      case EXPIRED -> new ApiProblem(410, "expired", "Secret expired", e.detail());
      case DELETED -> new ApiProblem(410, "deleted", "Secret deleted", e.detail());
      // No detail, by design: which key, which ciphertext, nothing.
      case DECRYPTION_FAILED -> new ApiProblem(500, "decryption-failed", "Decryption failed",
          null);
      case CONFLICT -> ifMatchGiven
          ? new ApiProblem(412, "precondition-failed", "Precondition failed", e.detail())
          : new ApiProblem(409, "conflict", "Conflict", e.detail());
      case INVALID_INPUT, INVALID_REFERENCE, MALFORMED_VALUE ->
          new ApiProblem(400, "invalid-input", "Invalid input", e.detail());
      case THROTTLED -> new ApiProblem(429, "throttled", "Too many requests", e.detail());
      case PROVIDER_UNAVAILABLE -> new ApiProblem(503, "unavailable", "Store unavailable",
          "the store's database is unavailable");
      case CONFIGURATION -> new ApiProblem(500, "configuration", "Server misconfigured", null);
    };
    p.with("error", err.name());
    if (e.remedy() != null && err != SecretError.DECRYPTION_FAILED
        && err != SecretError.CONFIGURATION && err != SecretError.PROVIDER_UNAVAILABLE) {
      p.with("remedy", e.remedy());
    }
    return p;
  }
}
