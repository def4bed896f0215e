package io.secretfetch.aws;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link AwsSecretsManagerProvider}s for configurations of type {@value #TYPE}; found
 * through {@link java.util.ServiceLoader}. The settings are the keys listed in {@link AwsOptions}.
 */
public final class AwsSecretsManagerProviderFactory implements SecretProviderFactory {
  private static final Logger log = LoggerFactory.getLogger(AwsSecretsManagerProviderFactory.class);

  /** The provider type. */
  public static final String TYPE = "aws";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
    AwsOptions options = AwsOptions.fromConfig(config);
    AwsSecretsManagerProvider provider =
        new AwsSecretsManagerProvider(config.id(), options, bootstrap);
    log.info("AWS Secrets Manager provider '{}' configured: {}", config.id(), options);
    return provider;
  }
}
