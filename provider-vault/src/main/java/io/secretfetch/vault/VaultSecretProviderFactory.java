package io.secretfetch.vault;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.vault.internal.Collaborators;
import io.secretfetch.vault.internal.VaultProviders;
import java.util.Objects;

/**
 * Builds {@code vault} providers: HashiCorp Vault KV v1 and v2, with token or AppRole auth. Found
 * through {@link java.util.ServiceLoader} as type {@code vault}; see {@link VaultSettings} and the
 * module README for the settings.
 *
 * <pre>
 * SecretResolver resolver = SecretResolver.builder()
 *     .provider(ProviderConfig.of("platform", Map.of(...)))
 *     .provider(new ProviderConfig("vault", "vault", Map.of(
 *         "address", "https://vault.example.com:8200",
 *         "approle.role-id", "3c9e...",
 *         "approle.secret-id-ref", "platform:vault/approle-secret-id",
 *         "mounts", "secret=2")))
 *     .build();
 * resolver.resolve("vault:secret/payments/db#password", SecretContext.system());
 * </pre>
 */
public final class VaultSecretProviderFactory implements SecretProviderFactory {
  /** The provider type. */
  public static final String TYPE = "vault";

  private final Collaborators collaborators;

  /** For {@link java.util.ServiceLoader}: the system clock, real sleeps and environment. */
  public VaultSecretProviderFactory() {
    this(Collaborators.system());
  }

  VaultSecretProviderFactory(Collaborators collaborators) {
    this.collaborators = Objects.requireNonNull(collaborators, "collaborators");
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Checks the settings and builds the provider. Credentials held in other providers (token,
   * AppRole role-id and secret-id) are resolved through {@code bootstrap} on first use; a TLS
   * client key held in another provider is resolved now.
   *
   * @throws io.secretfetch.api.SecretException {@code CONFIGURATION} naming the wrong setting
   */
  @Override
  public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
    return VaultProviders.create(config, bootstrap, collaborators);
  }
}
