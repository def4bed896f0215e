package io.secretfetch.platform.provider;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.provider.internal.RemoteClient;
import io.secretfetch.platform.provider.internal.RemoteSettings;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the {@code platform} provider. Settings:
 *
 * <table>
 *   <caption>platform provider settings</caption>
 *   <tr><th>key</th><th>meaning</th></tr>
 *   <tr><td>{@code mode}</td><td>{@code local} (default): the store in this JVM; {@code remote}:
 *       the platform server over HTTPS (settings in the
 *       module README)</td></tr>
 *   <tr><td>{@code data-dir}</td><td>embedded default: H2 file database and master key file in
 *       this directory, created on first use (default {@code .secret-fetch})</td></tr>
 *   <tr><td>{@code jdbc-url}</td><td>a database instead of the embedded default (PostgreSQL in
 *       production); then a master key setting is required</td></tr>
 *   <tr><td>{@code jdbc-user}, {@code jdbc-password}, {@code jdbc-password-env}</td><td>database
 *       credentials; the password directly or from the named environment variable</td></tr>
 *   <tr><td>{@code pool-size}</td><td>connection pool size (default 10)</td></tr>
 *   <tr><td>{@code master-key-file}</td><td>a Tink JSON keyset file</td></tr>
 *   <tr><td>{@code master-key-env}</td><td>the name of an environment variable holding a Tink
 *       JSON keyset</td></tr>
 * </table>
 */
public final class PlatformSecretProviderFactory implements SecretProviderFactory {
  public static final String TYPE = "platform";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
    String mode = config.get("mode").orElse("local").trim();
    if (mode.equals("remote")) {
      RemoteSettingsParser.checkKeys(config, true);
      RemoteSettings settings = RemoteSettingsParser.parse(config, bootstrap);
      return new RemotePlatformProvider(config.id(), new RemoteClient(settings, Clock.systemUTC()));
    }
    if (!mode.equals("local")) {
      throw new SecretException(SecretError.CONFIGURATION, null,
          "provider '" + config.id() + "' asks for mode '" + mode + "'",
          "Set 'mode' to local (the store in this JVM) or remote (the platform server over HTTPS)");
    }
    RemoteSettingsParser.checkKeys(config, false);
    Optional<String> jdbcUrl = config.get("jdbc-url");
    Optional<MasterKey> key = masterKey(config);
    PlatformSecretStore store;
    if (jdbcUrl.isPresent()) {
      if (config.get("data-dir").isPresent()) {
        throw new SecretException(SecretError.CONFIGURATION, null,
            "provider '" + config.id() + "' sets both 'jdbc-url' and 'data-dir'",
            "Set 'jdbc-url' for an external database or 'data-dir' for the embedded one, not both");
      }
      MasterKey master = key.orElseThrow(() -> new SecretException(SecretError.CONFIGURATION, null,
          "provider '" + config.id() + "' sets 'jdbc-url' but no master key",
          "Set 'master-key-file' or 'master-key-env'; a database store never creates its own key"));
      String password = config.get("jdbc-password").orElse(null);
      Optional<String> passwordEnv = config.get("jdbc-password-env");
      if (passwordEnv.isPresent()) {
        password = System.getenv(passwordEnv.get());
        if (password == null) {
          throw new SecretException(SecretError.CONFIGURATION, null,
              "environment variable " + passwordEnv.get() + " (jdbc-password-env of provider '"
                  + config.id() + "') is not set",
              "Set the variable, or configure 'jdbc-password'");
        }
      }
      int poolSize = poolSize(config);
      store = PlatformSecretStore.builder()
          .jdbcUrl(jdbcUrl.get())
          .username(config.get("jdbc-user").orElse(null))
          .password(password)
          .maxPoolSize(poolSize)
          .masterKey(master)
          .build();
    } else {
      Path dir = Path.of(config.get("data-dir").orElse(".secret-fetch"));
      if (key.isPresent()) {
        store = PlatformSecretStore.builder()
            .jdbcUrl(PlatformSecretStore.h2FileUrl(dir.resolve("store")))
            .masterKey(key.get())
            .build();
      } else {
        store = PlatformSecretStore.embedded(dir);
      }
    }
    return new PlatformSecretProvider(config.id(), store, true);
  }

  private static Optional<MasterKey> masterKey(ProviderConfig config) {
    Optional<String> file = config.get("master-key-file");
    Optional<String> env = config.get("master-key-env");
    if (file.isPresent() && env.isPresent()) {
      throw new SecretException(SecretError.CONFIGURATION, null,
          "provider '" + config.id() + "' sets both 'master-key-file' and 'master-key-env'",
          "Keep one source for the master key");
    }
    if (file.isPresent()) {
      return Optional.of(MasterKey.fromFile(Path.of(file.get())));
    }
    return env.map(MasterKey::fromEnvironment);
  }

  private static int poolSize(ProviderConfig config) {
    String raw = config.get("pool-size").orElse("10").trim();
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 200) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw new SecretException(SecretError.CONFIGURATION, null,
        "setting 'pool-size' of provider '" + config.id() + "' must be a number from 1 to 200",
        "Set pool-size to a number such as 10");
  }
}
