package io.secretfetch.api;

/**
 * Builds a {@link SecretProvider} from configuration. Found through {@link java.util.ServiceLoader}:
 * list the implementation in {@code META-INF/services/io.secretfetch.api.SecretProviderFactory}.
 * Two factories with the same {@link #type()} on one class path are a configuration error.
 */
public interface SecretProviderFactory {

  /** The provider type this factory builds, e.g. {@code aws}. */
  String type();

  /**
   * Builds a provider.
   *
   * @param config the provider's id and settings
   * @param bootstrap the secrets the provider itself needs (AWS keys, a Vault AppRole secret-id),
   *     from the providers configured before it; resolve them on first use, not here
   * @throws SecretException {@code CONFIGURATION} naming the setting that is wrong and the fix
   */
  SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap);
}
