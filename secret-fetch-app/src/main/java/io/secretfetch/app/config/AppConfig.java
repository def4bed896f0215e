package io.secretfetch.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one configuration file ({@code secret-fetch.yaml}; see the README and
 * {@code secret-fetch-app/secret-fetch.example.yaml}): the store, extra providers, the engine's
 * database, the HTTPS server (platform API, webhooks, health) and the triggers. Every section is optional;
 * missing settings take the embedded defaults. No secret value belongs here: passwords and keys
 * are named by environment variable, file or secret reference.
 *
 * @param store where the platform store lives
 * @param tenant the tenant the CLI acts in by default (null: the default tenant)
 * @param providers extra providers by id ({@code type} plus that provider's settings, as in its
 *     README), beside {@code platform}, which is always the store above
 * @param defaultProvider the provider of Secret Fetch tasks that name none; default platform
 * @param engine the Camunda engine of {@code serve}
 * @param server the HTTPS listener of {@code serve}: platform API, webhooks and health
 * @param triggers webhook triggers by name ({@code POST /hooks/{name}})
 */
public record AppConfig(
    Store store,
    String tenant,
    Map<String, Map<String, String>> providers,
    String defaultProvider,
    Engine engine,
    Server server,
    Map<String, Trigger> triggers) {

  public AppConfig {
    store = store == null ? new Store(null, null, null, null, null, null) : store;
    providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
    defaultProvider = defaultProvider == null ? "platform" : defaultProvider;
    engine = engine == null ? new Engine(null, null, null, null, null) : engine;
    server = server == null ? new Server(null, null, null, null, null, null) : server;
    triggers = triggers == null ? Map.of() : new LinkedHashMap<>(triggers);
  }

  public static AppConfig defaults() {
    return new AppConfig(null, null, null, null, null, null, null);
  }

  public StoreSettings storeSettings() {
    return new StoreSettings(store.dataDir() == null ? null : Path.of(store.dataDir()),
        store.jdbcUrl(), store.jdbcUser(), store.jdbcPasswordEnv(),
        store.masterKeyFile() == null ? null : Path.of(store.masterKeyFile()),
        store.masterKeyEnv());
  }

  /** {@code store:} the platform store; {@code data-dir} or {@code jdbc-url}. */
  public record Store(
      String dataDir,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPasswordEnv,
      String masterKeyFile,
      String masterKeyEnv) {}

  /**
   * {@code engine:} the Camunda engine of {@code serve}.
   *
   * @param jdbcUrl default: an H2 file {@code engine} in the store's data directory
   * @param jobExecutor default true
   * @param deploy BPMN files or bundle folders deployed at start (duplicates are filtered)
   */
  public record Engine(
      String jdbcUrl,
      String jdbcUser,
      String jdbcPasswordEnv,
      Boolean jobExecutor,
      List<String> deploy) {
    public Engine {
      jobExecutor = jobExecutor == null ? Boolean.TRUE : jobExecutor;
      deploy = deploy == null ? List.of() : List.copyOf(deploy);
    }
  }

  /**
   * {@code server:} the one HTTPS listener of {@code serve} (TLS only, TLS 1.2/1.3): the platform
   * API under {@code /api/v1}, webhooks under {@code /hooks/}, and {@code /health}.
   *
   * @param host default 127.0.0.1
   * @param port default 8443
   * @param audience the {@code aud} of workers' service tokens; default https://HOST:PORT
   * @param keyStore a PKCS12 key store; default a self-signed certificate in the data directory
   * @param keyStorePasswordEnv the environment variable holding the key store password
   * @param trustedWorkers worker public keys (JWK files) and the tenants they may act in
   */
  public record Server(
      String host,
      Integer port,
      String audience,
      String keyStore,
      String keyStorePasswordEnv,
      List<Worker> trustedWorkers) {
    public Server {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 8443 : port;
      trustedWorkers = trustedWorkers == null ? List.of() : List.copyOf(trustedWorkers);
    }
  }

  /** A trusted worker: its public JWK file and tenants. */
  public record Worker(String jwkFile, List<String> tenants) {
    public Worker {
      tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }
  }

  /**
   * A webhook trigger.
   *
   * @param process the key of the process definition to start
   * @param tenant the tenant of the process definition and of the auth secret; null: default
   * @param inputVariable the variable that receives the request body (text); default {@code body}
   * @param auth how callers authenticate
   */
  public record Trigger(String process, String tenant, String inputVariable, Auth auth) {
    public Trigger {
      inputVariable = inputVariable == null ? "body" : inputVariable;
    }
  }

  /**
   * A trigger's authentication. The secret is named by {@code secret-ref} (a platform name or
   * {@code provider:name}), never given here.
   *
   * @param type {@code api-key}, {@code hmac-sha256} or {@code basic}
   * @param header api-key: default {@code X-API-Key}; hmac-sha256: default {@code X-Signature}
   * @param timestampHeader hmac-sha256: default {@code X-Signature-Timestamp}
   * @param tolerance hmac-sha256: the replay window, default {@code PT5M}
   * @param username basic: the expected user name
   * @param secretRef the secret holding the key, HMAC secret or password
   * @param slot the flow's slot this auth uses (checked against the bundle manifest); without
   *     it, some slot of the flow must be bound to {@code secret-ref}
   */
  public record Auth(
      String type,
      String header,
      String timestampHeader,
      Duration tolerance,
      String username,
      String secretRef,
      String slot) {}
}
