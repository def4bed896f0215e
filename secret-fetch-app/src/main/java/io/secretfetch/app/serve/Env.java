package io.secretfetch.app.serve;

import io.secretfetch.api.SecretException;

/** Settings that name an environment variable (passwords never sit in the file). */
final class Env {
  private Env() {}

  /** The variable's value; null when {@code name} is null; an error when it is unset. */
  static String get(String name, String setting) {
    if (name == null) {
      return null;
    }
    String v = System.getenv(name);
    if (v == null) {
      throw SecretException.configuration(setting
          + " names the environment variable " + name + ", which is not set",
          "Export " + name + " before starting.");
    }
    return v;
  }
}
