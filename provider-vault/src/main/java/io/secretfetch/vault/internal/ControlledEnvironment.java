package io.secretfetch.vault.internal;

import io.github.jopenlibs.vault.EnvironmentLoader;
import java.util.function.UnaryOperator;

/**
 * The driver's view of the environment. The driver reads {@code VAULT_ADDR}, {@code VAULT_TOKEN}
 * (and {@code ~/.vault-token}), {@code VAULT_SSL_CERT} and others whenever a setting is missing;
 * this loader answers from a controlled source instead: nothing at all unless the provider is
 * configured with {@code read-environment=true}, and never the {@code ~/.vault-token} file.
 */
final class ControlledEnvironment extends EnvironmentLoader {
  private static final long serialVersionUID = 1L;

  private final transient UnaryOperator<String> source;

  private ControlledEnvironment(UnaryOperator<String> source) {
    this.source = source;
  }

  /** Answers null to every variable. */
  static ControlledEnvironment empty() {
    return new ControlledEnvironment(name -> null);
  }

  /** Answers {@code VAULT_*} variables from {@code source}, everything else with null. */
  static ControlledEnvironment from(UnaryOperator<String> source) {
    return new ControlledEnvironment(
        name -> name != null && name.startsWith("VAULT_") ? source.apply(name) : null);
  }

  @Override
  public String loadVariable(String name) {
    return source == null ? null : source.apply(name);
  }
}
