package io.secretfetch.api;

import java.util.Objects;

/**
 * The outcome of checking one reference without reading its value.
 *
 * @param ref the reference checked
 * @param problem why it cannot be resolved, or null when it can
 */
public record SecretCheck(SecretRef ref, SecretException problem) {
  public SecretCheck {
    Objects.requireNonNull(ref, "ref");
  }

  public static SecretCheck ok(SecretRef ref) {
    return new SecretCheck(ref, null);
  }

  public static SecretCheck failed(SecretRef ref, SecretException problem) {
    return new SecretCheck(ref, Objects.requireNonNull(problem, "problem"));
  }

  public boolean isOk() {
    return problem == null;
  }

  /** The problem's code, or null when the reference resolves. */
  public SecretError error() {
    return problem == null ? null : problem.error();
  }
}
