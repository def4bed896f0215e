package io.secretfetch.kit;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;

/**
 * Builds an {@link InMemorySecretProvider} of type {@code memory}. Each setting {@code
 * secret.NAME=VALUE} becomes a default-tenant secret; {@code secret.NAME=ref:REF} copies the value
 * of {@code REF} through the bootstrap resolver, as real providers obtain their credentials.
 */
public final class InMemorySecretProviderFactory implements SecretProviderFactory {
  @Override
  public String type() {
    return "memory";
  }

  @Override
  public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
    InMemorySecretProvider provider = new InMemorySecretProvider(config.id());
    config.settings().forEach(
        (key, value) -> {
          if (!key.startsWith("secret.")) {
            return;
          }
          String name = key.substring("secret.".length());
          if (value.startsWith("ref:")) {
            try (SecretValue v = bootstrap.resolve(SecretRef.parse(value.substring(4)),
                SecretContext.system())) {
              provider.put(name, v.reveal());
            }
          } else {
            provider.put(name, value);
          }
        });
    return provider;
  }
}
