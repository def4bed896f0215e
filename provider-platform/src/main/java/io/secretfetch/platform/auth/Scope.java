package io.secretfetch.platform.auth;

import java.util.EnumSet;
import java.util.Set;

/** What an API key may do over the HTTPS API. */
public enum Scope {
  /** List secrets, read metadata and versions. */
  SECRETS_READ("secrets:read"),
  /** Create, rotate, delete, roll back, destroy; read the audit log. */
  SECRETS_MANAGE("secrets:manage"),
  /** See a value in {@code GET /secrets/{name}} instead of the mask. */
  SECRETS_READ_VALUE("secrets:read:value");

  private final String code;

  Scope(String code) {
    this.code = code;
  }

  /** The wire form, e.g. {@code secrets:read}. */
  public String code() {
    return code;
  }

  public static Scope fromCode(String code) {
    for (Scope s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scope '" + code + "'; use secrets:read, secrets:manage or secrets:read:value");
  }

  /** Parses a space- or comma-separated list. */
  public static Set<Scope> parseAll(String codes) {
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    for (String c : codes.split("[ ,]+")) {
      if (!c.isEmpty()) {
        out.add(fromCode(c));
      }
    }
    return out;
  }

  /** The space-separated wire form of {@code scopes}, in declaration order. */
  public static String format(Set<Scope> scopes) {
    StringBuilder b = new StringBuilder();
    for (Scope s : EnumSet.copyOf(scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : scopes)) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(s.code);
    }
    return b.toString();
  }
}
