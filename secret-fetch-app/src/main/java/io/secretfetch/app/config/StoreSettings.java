package io.secretfetch.app.config;

import io.secretfetch.api.SecretException;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Path;

/**
 * Where the platform store lives: the embedded default (H2 file and master key file in
 * {@code dataDir}) or a database ({@code jdbcUrl}, PostgreSQL in production) with a master key
 * from a file or an environment variable.
 */
public record StoreSettings(
    Path dataDir,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPasswordEnv,
    Path masterKeyFile,
    String masterKeyEnv) {

  /** The embedded default's directory, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIR = Path.of(".secret-fetch");

  /** These settings with every non-null argument in place of the current one. */
  public StoreSettings override(Path dir, String url, String user, String passwordEnv,
      Path keyFile, String keyEnv) {
    return new StoreSettings(
        dir != null ? dir : dataDir,
        url != null ? url : jdbcUrl,
        user != null ? user : jdbcUser,
        passwordEnv != null ? passwordEnv : jdbcPasswordEnv,
        keyFile != null ? keyFile : masterKeyFile,
        keyEnv != null ? keyEnv : masterKeyEnv);
  }

  /** The data directory in use (also for the engine's H2 file and the TLS certificate). */
  public Path effectiveDataDir() {
    return (dataDir != null ? dataDir : DEFAULT_DATA_DIR).toAbsolutePath().normalize();
  }

  public boolean embedded() {
    return jdbcUrl == null;
  }

  /** The master key file, for rotation: the embedded default's, or the configured one. */
  public Path effectiveMasterKeyFile() {
    if (embedded()) {
      return effectiveDataDir().resolve(PlatformSecretStore.MASTER_KEY_FILE);
    }
    return masterKeyFile;
  }

  public PlatformSecretStore open() {
    if (embedded()) {
      return PlatformSecretStore.embedded(effectiveDataDir());
    }
    MasterKey key;
    if (masterKeyFile != null && masterKeyEnv != null) {
      throw configuration("both a master key file and a master key environment variable are set",
          "Give exactly one of --master-key-file / store.master-key-file and --master-key-env /"
              + " store.master-key-env.");
    } else if (masterKeyFile != null) {
      key = MasterKey.fromFile(masterKeyFile);
    } else if (masterKeyEnv != null) {
      key = MasterKey.fromEnvironment(masterKeyEnv);
    } else {
      throw configuration("the database store at " + redactUrl(jdbcUrl) + " has no master key",
          "Give --master-key-file FILE or --master-key-env VAR (a database store never invents"
              + " its own key).");
    }
    PlatformSecretStore.Builder b = PlatformSecretStore.builder().jdbcUrl(jdbcUrl).masterKey(key);
    if (jdbcUser != null) {
      b.username(jdbcUser);
    }
    if (jdbcPasswordEnv != null) {
      String password = System.getenv(jdbcPasswordEnv);
      if (password == null) {
        throw configuration("the environment variable " + jdbcPasswordEnv
            + " (the database password) is not set", "Export " + jdbcPasswordEnv + ", or drop"
            + " --jdbc-password-env if the database needs no password.");
      }
      b.password(password);
    }
    return b.build();
  }

  /** A JDBC URL without its query (which may hold a password). */
  public static String redactUrl(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?...";
  }

  private static SecretException configuration(String detail, String remedy) {
    return SecretException.configuration(detail, remedy);
  }
}
