package io.secretfetch.file;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link FileSecretProvider}s for configurations of type {@value #TYPE}; found through
 * {@link java.util.ServiceLoader}. The settings are the keys of {@link FileOptions}; the provider
 * needs no bootstrap secrets.
 */
public final class FileSecretProviderFactory implements SecretProviderFactory {
  private static final Logger log = LoggerFactory.getLogger(FileSecretProviderFactory.class);

  /** The provider type. */
  public static final String TYPE = "file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
    FileOptions options = FileOptions.fromConfig(config);
    log.info(
        "file provider '{}' configured: root {}, tenant directories {}",
        config.id(), options.root(), options.tenantDirectories());
    return new FileSecretProvider(config.id(), options, Clock.systemUTC());
  }
}
