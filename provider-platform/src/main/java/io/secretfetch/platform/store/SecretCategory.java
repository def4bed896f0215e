package io.secretfetch.platform.store;

import java.util.Locale;

/** What kind of credential a secret holds; informational, for pickers and reviews. */
public enum SecretCategory {
  API_KEY,
  TOKEN,
  CREDENTIAL,
  OTHER;

  /** The stored and wire form: {@code api_key}, {@code token}, {@code credential}, {@code other}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SecretCategory fromCode(String code) {
    for (SecretCategory c : values()) {
      if (c.code().equals(code)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown category '" + code + "'; use api_key, token, credential or other");
  }
}
