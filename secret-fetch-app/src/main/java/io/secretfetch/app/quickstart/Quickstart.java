package io.secretfetch.app.quickstart;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpServer;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.api.mask.logback.MaskingLayout;
import io.secretfetch.app.serve.Engines;
import io.secretfetch.camunda.PreRunCheckException;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.store.GeneratedValue;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.SecretCategory;
import io.secretfetch.platform.store.SecretInfo;
import io.secretfetch.platform.store.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.LoggerFactory;

/**
 * The main job on embedded defaults, in one call: the store under {@code .secret-fetch/}, an
 * embedded engine on H2, the {@code examples/quickstart} bundle, its blocked start for the
 * missing secret, the secret generated into the store, the flow calling a local HTTP endpoint
 * with it, and the masked log. Re-running reuses the store and the engine database.
 */
public final class Quickstart {
  /** The bundle, as shipped inside the jar. */
  static final String BUNDLE = "/io/secretfetch/app/quickstart/bundle/";
  static final String BPMN = "quickstart.bpmn";
  static final String PROCESS = "quickstart";
  static final String SLOT = "api-key";

  private final Path dataDir;
  private final PrintWriter out;

  public Quickstart(Path dataDir, PrintWriter out) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.out = out;
  }

  /** Runs it; true when the flow completed with the local API accepting the key. */
  public boolean run() throws IOException {
    boolean fresh = !Files.exists(dataDir.resolve(PlatformSecretStore.MASTER_KEY_FILE));
    SecretContext ops = new SecretContext(null, "quickstart", null, null);
    List<String> maskedLog = new CopyOnWriteArrayList<>();
    MaskedCapture capture = new MaskedCapture(maskedLog);
    try (PlatformSecretStore store = PlatformSecretStore.embedded(dataDir);
        SecretResolver resolver = SecretResolver.builder()
            .provider(new PlatformSecretProvider("platform", store, false))
            .defaultProvider("platform").build();
        LocalApi api = new LocalApi(resolver)) {
      step(1, "Secret store: " + dataDir + (fresh ? " (created" : " (reused")
          + ": H2 file store.mv.db, master key " + PlatformSecretStore.MASTER_KEY_FILE + ")");
      ProcessEngine engine = Engines.build("secret-fetch-quickstart",
          Engines.defaultJdbcUrl(dataDir), null, null, false,
          new SecretFetchPlugin(resolver).defaultProvider("platform").preRunCheckCacheTtl(
              java.time.Duration.ZERO));
      try {
        step(2, "Camunda engine " + engine.getName() + " on H2 (" + dataDir.resolve("engine")
            + ".mv.db)");
        deploy(engine);
        step(3, "Imported bundle examples/quickstart (process '" + PROCESS + "', slot '" + SLOT
            + "' -> platform:" + SLOT + ")");
        Map<String, Object> vars = Map.of("apiUrl", api.url());
        // SEAM(issue 6): once bundles land this is 'bundles import' with its validation report.
        SecretInfo existing = existing(store, ops);
        if (existing == null) {
          try {
            engine.getRuntimeService().startProcessInstanceByKey(PROCESS, vars);
            throw new IllegalStateException("the quickstart started without its secret");
          } catch (PreRunCheckException blocked) {
            step(4, "Blocked, as expected: the secret the flow needs is missing. The report:");
            blocked.getMessage().lines().forEach(l -> out.println("      " + l));
          }
          // SEAM(issue 6): once bundles land this is 'bindings apply' of a profile with
          // {"bindings": {"api-key": {"secret": "generate"}}}.
          WriteResult r = store.create(ops, NewSecret.builder(SLOT)
              .generate(GeneratedValue.alphanumeric(40)).category(SecretCategory.API_KEY)
              .description("The quickstart's API key").build());
          r.generatedValue().ifPresent(SecretValue::close);   // the store keeps it; never shown
          step(5, "Bound slot '" + SLOT + "': generated a 40-character value into platform:"
              + SLOT + " version " + r.version() + " (not shown)");
        } else {
          step(4, "Not blocked: slot '" + SLOT + "' is bound already (platform:" + SLOT
              + " version " + existing.activeVersion() + "), from an earlier run");
          step(5, "Nothing to bind");
        }
        capture.attach();
        ProcessInstance pi;
        try {
          pi = engine.getRuntimeService().startProcessInstanceByKey(PROCESS, vars);
        } finally {
          capture.detach();
        }
        Object status = engine.getHistoryService().createHistoricVariableInstanceQuery()
            .processInstanceId(pi.getId()).variableName("apiStatus").list().stream()
            .map(HistoricVariableInstance::getValue).findFirst().orElse(null);
        boolean ok = Integer.valueOf(200).equals(status) && api.accepted() > 0;
        step(6, "Ran process instance " + pi.getId() + ": it fetched the key and called "
            + api.url() + ", which answered " + status
            + (ok ? " (the key matched)" : " (the key did NOT match)"));
        out.println();
        out.println("Masked log of the run (the key prints as ***):");
        maskedLog.forEach(l -> out.print("  " + l));
        out.println();
        out.println(ok ? "Quickstart succeeded." : "Quickstart FAILED: the local API refused"
            + " the key.");
        out.println();
        out.println("Try next (same working directory):");
        out.println("  secret-fetch secrets list");
        out.println("  secret-fetch secrets versions " + SLOT);
        out.println("  secret-fetch secrets rotate " + SLOT + " --generate     # then run the"
            + " quickstart again");
        out.println("  secret-fetch audit query --secret " + SLOT);
        out.println("  secret-fetch audit verify");
        out.println("  secret-fetch serve --config secret-fetch-app/secret-fetch.example.yaml   # from"
            + " the repository root");
        out.println("Start over: delete " + dataDir);
        out.flush();
        return ok;
      } finally {
        engine.close();
      }
    }
  }

  private void step(int n, String text) {
    out.println("[" + n + "/6] " + text);
    out.flush();
  }

  private static SecretInfo existing(PlatformSecretStore store, SecretContext ops) {
    try {
      SecretInfo info = store.metadata(ops, SLOT);
      return info.deleted() ? null : info;
    } catch (SecretException e) {
      return null;
    }
  }

  private static void deploy(ProcessEngine engine) throws IOException {
    try (InputStream bpmn = Quickstart.class.getResourceAsStream(BUNDLE + BPMN)) {
      if (bpmn == null) {
        throw new IllegalStateException("the quickstart bundle is missing from the jar");
      }
      engine.getRepositoryService().createDeployment().name("quickstart")
          .enableDuplicateFiltering(true).addInputStream(BPMN, bpmn).deploy();
    }
  }

  /**
   * The "API" the flow calls: a loopback endpoint that accepts {@code Authorization: Bearer KEY}
   * only with the key in the store (compared in constant time) and answers 200, else 401.
   */
  static final class LocalApi implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger accepted = new AtomicInteger();

    LocalApi(SecretResolver resolver) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/v1/models", exchange -> {
        try {
          exchange.getRequestBody().readAllBytes();
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          boolean ok;
          try (SecretValue key = resolver.resolve("platform:" + SLOT,
              new SecretContext(null, "quickstart-api", null, null))) {
            ok = auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + key.reveal()).getBytes(StandardCharsets.UTF_8));
          }
          if (ok) {
            accepted.incrementAndGet();
          }
          exchange.sendResponseHeaders(ok ? 200 : 401, -1);
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/models";
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Collects the flow's log lines through the masking layout, as a user's appender would. */
  static final class MaskedCapture extends AppenderBase<ILoggingEvent> {
    private static final List<String> LOGGERS = List.of("io.secretfetch.app.quickstart",
        "io.secretfetch.camunda");
    private final List<String> lines;
    private final MaskingLayout layout = new MaskingLayout();
    private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();

    MaskedCapture(List<String> lines) {
      this.lines = lines;
      setContext(ctx);
      PatternLayout inner = new PatternLayout();
      inner.setContext(ctx);
      inner.setPattern("%-5level %logger{0} - %msg%n");
      layout.setContext(ctx);
      layout.setLayout(inner);
    }

    void attach() {
      layout.start();
      start();
      for (String name : LOGGERS) {
        Logger l = ctx.getLogger(name);
        l.setLevel(Level.INFO);
        l.setAdditive(false);   // shown once, in the quickstart's output
        l.addAppender(this);
      }
    }

    void detach() {
      for (String name : LOGGERS) {
        Logger l = ctx.getLogger(name);
        l.detachAppender(this);
        l.setAdditive(true);
        l.setLevel(null);
      }
      stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(layout.doLayout(event));
    }
  }
}
