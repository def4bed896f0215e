package io.secretfetch.app.serve;

import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.api.SecretException;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.StoreSettings;
import io.secretfetch.app.webhook.DeclaredSlot;
import io.secretfetch.app.webhook.HealthAccess;
import io.secretfetch.app.webhook.Trigger;
import io.secretfetch.app.webhook.TriggerSlotCheck;
import io.secretfetch.app.webhook.WebhookRoutes;
import io.secretfetch.camunda.bundle.Bundle;
import io.secretfetch.camunda.bundle.BundleImporter;
import io.secretfetch.camunda.bundle.ImportResult;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.PlatformHttpServer;
import io.secretfetch.platform.http.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} runs in one process: the {@link EngineRuntime} (store, resolver, engine with
 * the Secret Fetch plugin and its job executor) and one HTTPS listener with the platform API, the
 * webhook triggers and {@code /health}.
 *
 * <p>At start, each {@code engine.deploy} entry is imported: a bundle (a folder or zip with a
 * manifest) through the bundle importer, which refuses it while a slot does not resolve, plain BPMN
 * directly. Then every trigger is checked against the slots of its process's bundle manifest, as
 * deployed ({@link TriggerSlotCheck}). Any failure stops the start and closes what was opened.
 *
 * <p>{@link #close()} shuts down gracefully, in order: stop accepting hooks and wait for those in
 * flight, stop the listener, stop the engine (its job executor finishes running jobs), close the
 * resolver and the store.
 */
public final class SecretFetchServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecretFetchServer.class);
  /** How long shutdown waits for webhook requests in flight. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final EngineRuntime runtime;
  private final WebhookRoutes hooks;
  private final PlatformHttpServer http;
  private boolean closed;

  private SecretFetchServer(EngineRuntime runtime, WebhookRoutes hooks, PlatformHttpServer http) {
    this.runtime = runtime;
    this.hooks = hooks;
    this.http = http;
  }

  /** Starts everything, or nothing: a failure closes what was started and rethrows. */
  public static SecretFetchServer start(AppConfig config, StoreSettings storeSettings) {
    List<Trigger> triggers = Trigger.fromConfig(config.triggers());
    EngineRuntime runtime = EngineRuntime.open(config, storeSettings, "secret-fetch",
        config.engine().jobExecutor());
    try {
      for (String path : config.engine().deploy()) {
        deploy(runtime, Path.of(path));
      }
      List<DeclaredSlot> slots = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Trigger t : triggers) {
        if (seen.add(t.process() + "|" + t.tenant())) {
          slots.addAll(runtime.declaredSlots(t.process(), t.tenant()));
        }
      }
      TriggerSlotCheck.check(triggers, slots, runtime.resolver());
      ProcessEngine engine = runtime.engine();
      WebhookRoutes hooks = new WebhookRoutes(triggers, engine, runtime.resolver(),
          () -> health(runtime), new HealthAccess(runtime.store().credentials()),
          Clock.systemUTC());
      AppConfig.Server s = config.server();
      PlatformHttpServer.Builder http = PlatformHttpServer.builder(runtime.store())
          .host(s.host()).port(s.port())
          .tls(tls(s, storeSettings.effectiveDataDir()))
          .audience(s.audience() != null ? s.audience()
              : "https://" + s.host() + ":" + s.port())
          .routes(hooks::register);
      for (AppConfig.Worker w : s.trustedWorkers()) {
        http.trustWorker(new TrustedWorker(jwk(w.jwkFile()), new HashSet<>(w.tenants())));
      }
      PlatformHttpServer server = http.build().start();
      log.info("Secret Fetch serving: engine '{}' (job executor {}), HTTPS on port {} (API"
              + " /api/v1, webhooks /hooks/{{trigger}}: {}, health /health), certificate SHA-256 {}",
          engine.getName(), config.engine().jobExecutor() ? "on" : "off", server.port(),
          triggers.stream().map(Trigger::name).toList(), server.certificateSha256());
      return new SecretFetchServer(runtime, hooks, server);
    } catch (RuntimeException ex) {
      try {
        runtime.close();
      } catch (RuntimeException suppressed) {
        ex.addSuppressed(suppressed);
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

  public EngineRuntime runtime() {
    return runtime;
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
    runtime.close();
    log.info("Shut down");
  }

  /**
   * Deploys one {@code engine.deploy} entry: a bundle with a manifest through the importer
   * (refused while a slot does not resolve), else its BPMN as a plain deployment.
   */
  static void deploy(EngineRuntime runtime, Path path) {
    Bundle bundle;
    try {
      bundle = Files.isRegularFile(path) && !path.toString().endsWith(".zip")
          ? new Bundle(path.getFileName().toString(),
              Map.of(path.getFileName().toString(), Files.readAllBytes(path)), null)
          : Bundle.open(path);
    } catch (IOException e) {
      throw configuration("engine.deploy: " + path + " cannot be read ("
          + e.getClass().getSimpleName() + ")", "Give existing BPMN files or bundle folders.");
    }
    if (bundle.bpmn().isEmpty()) {
      throw configuration("engine.deploy: " + path + " has no BPMN file",
          "Give BPMN files, or folders and zips that hold them.");
    }
    ProcessEngine engine = runtime.engine();
    if (bundle.manifest().isEmpty()) {
      DeploymentBuilder d = engine.getRepositoryService().createDeployment()
          .name(bundle.name()).enableDuplicateFiltering(true);
      bundle.bpmn().forEach((file, bytes) -> d.addInputStream(file,
          new ByteArrayInputStream(bytes)));
      d.deploy();
      log.info("Deployed {} ({} BPMN file(s), no manifest)", path, bundle.bpmn().size());
      return;
    }
    ImportResult imported = new BundleImporter(engine).importBundle(bundle, null,
        BundleImporter.Mode.REFUSE);
    if (imported.outcome() == ImportResult.Outcome.REFUSED) {
      throw SecretException.configuration("engine.deploy: the bundle "
          + path + " was refused: " + imported.report().summary(), "Bind its slots ('secret-fetch"
          + " bindings template " + path + "', fill it in, 'secret-fetch bindings apply " + path
          + " @profile.json'), then start again.");
    }
    log.info("Imported bundle {} as deployment {}", path, imported.deploymentId());
  }

  private static Map<String, Object> health(EngineRuntime runtime) {
    Map<String, Object> h = new LinkedHashMap<>();
    ProcessEngine engine = runtime.engine();
    h.put("engine", engine.getName());
    h.put("jobExecutor", ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getJobExecutor().isActive());
    h.put("auditHead", runtime.store().audit().head().lastSeq());   // the store's database is up
    engine.getRepositoryService().createDeploymentQuery().count();   // the engine's database is up
    return h;
  }

  private static ServerTls tls(AppConfig.Server s, Path dataDir) {
    if (s.keyStore() == null) {
      return ServerTls.selfSigned(dataDir);
    }
    String password = Env.get(s.keyStorePasswordEnv(), "server.key-store-password-env");
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

  private static SecretException configuration(String detail, String remedy) {
    return SecretException.configuration(detail, remedy);
  }
}
