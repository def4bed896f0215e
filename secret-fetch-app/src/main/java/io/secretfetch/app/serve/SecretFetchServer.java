package io.secretfetch.app.serve;

import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.StoreSettings;
import io.secretfetch.app.webhook.DeclaredSlot;
import io.secretfetch.app.webhook.Trigger;
import io.secretfetch.app.webhook.TriggerSlotCheck;
import io.secretfetch.app.webhook.WebhookRoutes;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.PlatformHttpServer;
import io.secretfetch.platform.http.ServerTls;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} runs in one process: the platform store, the resolver (the store as provider
 * {@code platform}, plus the configured providers), the Camunda engine with the Secret Fetch
 * plugin and its job executor, and one HTTPS listener with the platform API, the webhook triggers
 * and {@code /health}. {@link #close()} shuts down gracefully, in order: stop accepting hooks and
 * wait for those in flight, stop the listener, stop the engine (its job executor finishes running
 * jobs), close the resolver and the store.
 */
public final class SecretFetchServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecretFetchServer.class);
  /** How long shutdown waits for webhook requests in flight. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final PlatformSecretStore store;
  private final SecretResolver resolver;
  private final ProcessEngine engine;
  private final WebhookRoutes hooks;
  private final PlatformHttpServer http;
  private boolean closed;

  private SecretFetchServer(PlatformSecretStore store, SecretResolver resolver,
      ProcessEngine engine, WebhookRoutes hooks, PlatformHttpServer http) {
    this.store = store;
    this.resolver = resolver;
    this.engine = engine;
    this.hooks = hooks;
    this.http = http;
  }

  /**
   * Starts everything, or nothing: a failure closes what was started and rethrows.
   *
   * @param declaredSlots the slots of deployed bundles, for the trigger/slot check
   */
  public static SecretFetchServer start(AppConfig config, StoreSettings storeSettings,
      List<DeclaredSlot> declaredSlots) {
    List<Trigger> triggers = Trigger.fromConfig(config.triggers());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      PlatformSecretStore store = storeSettings.open();
      started.add(store);
      SecretResolver resolver = resolver(config, store);
      started.add(resolver);
      TriggerSlotCheck.check(triggers, declaredSlots, resolver);
      AppConfig.Engine e = config.engine();
      Path dataDir = storeSettings.effectiveDataDir();
      String engineUrl = e.jdbcUrl() != null ? e.jdbcUrl() : Engines.defaultJdbcUrl(dataDir);
      ProcessEngine engine = Engines.build("secret-fetch", engineUrl, e.jdbcUser(),
          env(e.jdbcPasswordEnv(), "engine.jdbc-password-env"), e.jobExecutor(),
          new SecretFetchPlugin(resolver).defaultProvider(config.defaultProvider()));
      started.add(engine::close);
      for (String path : e.deploy()) {
        deploy(engine, Path.of(path));
      }
      WebhookRoutes hooks = new WebhookRoutes(triggers, engine, resolver, () -> health(engine,
          store), Clock.systemUTC());
      AppConfig.Server s = config.server();
      PlatformHttpServer.Builder http = PlatformHttpServer.builder(store)
          .host(s.host()).port(s.port())
          .tls(tls(s, dataDir))
          .audience(s.audience() != null ? s.audience()
              : "https://" + s.host() + ":" + s.port())
          .routes(hooks::register);
      for (AppConfig.Worker w : s.trustedWorkers()) {
        http.trustWorker(new TrustedWorker(jwk(w.jwkFile()), new HashSet<>(w.tenants())));
      }
      PlatformHttpServer server = http.build().start();
      log.info("Secret Fetch serving: engine '{}' on {} (job executor {}), HTTPS on port {}"
              + " (API /api/v1, webhooks /hooks/{{trigger}}: {}, health /health), certificate"
              + " SHA-256 {}", engine.getName(), StoreSettings.redactUrl(engineUrl),
          e.jobExecutor() ? "on" : "off", server.port(),
          triggers.stream().map(Trigger::name).toList(), server.certificateSha256());
      return new SecretFetchServer(store, resolver, engine, hooks, server);
    } catch (RuntimeException ex) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          ex.addSuppressed(suppressed);
        }
      }
      throw ex;
    }
  }

  public int port() {
    return http.port();
  }

  public ServerTls tls() {
    return http.tls();
  }

  public ProcessEngine engine() {
    return engine;
  }

  public PlatformSecretStore store() {
    return store;
  }

  public SecretResolver resolver() {
    return resolver;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("Shutting down: no new webhooks, waiting for those in flight");
    try {
      if (!hooks.drain(DRAIN_TIMEOUT)) {
        log.warn("Webhook requests still running after {}; stopping anyway", DRAIN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
    engine.close();      // stops the job executor after its running jobs
    resolver.close();
    store.close();
    log.info("Shut down");
  }

  static SecretResolver resolver(AppConfig config, PlatformSecretStore store) {
    SecretResolver.Builder b = SecretResolver.builder()
        .provider(new PlatformSecretProvider("platform", store, false))
        .defaultProvider(config.defaultProvider());
    config.providers().forEach((id, settings) -> {
      Map<String, String> rest = new LinkedHashMap<>(settings);
      String type = rest.remove("type");
      b.provider(new ProviderConfig(id, type != null ? type : id, rest));
    });
    return b.build();
  }

  /** Deploys a BPMN file, or every BPMN file of a folder, as one deployment named after it. */
  static void deploy(ProcessEngine engine, Path path) {
    List<Path> files;
    try (Stream<Path> s = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
      files = s.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
    } catch (IOException e) {
      throw configuration("engine.deploy: " + path + " cannot be read ("
          + e.getClass().getSimpleName() + ")", "Give existing BPMN files or bundle folders.");
    }
    if (files.isEmpty()) {
      throw configuration("engine.deploy: " + path + " has no .bpmn file",
          "Give BPMN files or folders that hold them.");
    }
    DeploymentBuilder d = engine.getRepositoryService().createDeployment()
        .name(path.getFileName().toString()).enableDuplicateFiltering(true);
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        d.addInputStream(f.getFileName().toString(), new java.io.ByteArrayInputStream(in.readAllBytes()));
      } catch (IOException e) {
        throw configuration("engine.deploy: " + f + " cannot be read", "Check the file.");
      }
    }
    d.deploy();
    log.info("Deployed {} ({} BPMN file(s))", path, files.size());
  }

  private static Map<String, Object> health(ProcessEngine engine, PlatformSecretStore store) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("engine", engine.getName());
    h.put("jobExecutor", ((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl)
        engine.getProcessEngineConfiguration()).getJobExecutor().isActive());
    h.put("auditHead", store.audit().head().lastSeq());   // a query: the store's database is up
    engine.getRepositoryService().createDeploymentQuery().count();   // the engine database is up
    return h;
  }

  private static ServerTls tls(AppConfig.Server s, Path dataDir) {
    if (s.keyStore() == null) {
      return ServerTls.selfSigned(dataDir);
    }
    String password = env(s.keyStorePasswordEnv(), "server.key-store-password-env");
    if (password == null) {
      throw configuration("server.key-store is set without server.key-store-password-env",
          "Name the environment variable that holds the key store password.");
    }
    return ServerTls.keyStore(Path.of(s.keyStore()), password.toCharArray());
  }

  private static ECKey jwk(String file) {
    try {
      return ECKey.parse(Files.readString(Path.of(file)));
    } catch (IOException | java.text.ParseException | NullPointerException e) {
      throw configuration("server.trusted-workers: " + file + " is not a readable EC JWK",
          "Give the public key file written by 'secret-fetch tokens worker-key' (FILE.pub).");
    }
  }

  private static String env(String name, String setting) {
    if (name == null) {
      return null;
    }
    String v = System.getenv(name);
    if (v == null) {
      throw configuration(setting + " names the environment variable " + name
          + ", which is not set", "Export " + name + " before starting.");
    }
    return v;
  }

  private static SecretException configuration(String detail, String remedy) {
    return new SecretException(SecretError.CONFIGURATION, null, detail, remedy);
  }
}
