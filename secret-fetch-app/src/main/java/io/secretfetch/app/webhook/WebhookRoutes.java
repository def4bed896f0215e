package io.secretfetch.app.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.camunda.PreRunCheckException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstantiationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/{trigger}} and {@code GET /health} on the server's TLS listener.
 *
 * <p>A hook request is authenticated against the trigger's secret (resolved, and cached, through
 * the resolver) before anything else happens; then the trigger's process starts with the body as
 * text in its input variable: {@code 202} with the process instance id. Refusals are {@code
 * application/problem+json}: 401 (with the reason in the server log only, never to the caller),
 * 404 unknown trigger, 422 start refused (e.g. the pre-run check found a missing secret), 503
 * auth secret unavailable or shutting down.
 *
 * <p>{@code GET /health} answers the status to anyone ({@code UP}, {@code DOWN}, {@code
 * STOPPING}); the detail (engine, job executor, audit chain head, trigger names) only to an API
 * key {@link HealthAccess} accepts.
 *
 * <p>{@link #drain(Duration)} stops accepting and waits for requests in flight: the graceful
 * part of shutdown.
 */
public final class WebhookRoutes {
  private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Trigger> triggers;
  private final ProcessEngine engine;
  private final SecretResolver resolver;
  private final Supplier<Map<String, Object>> health;
  private final HealthAccess healthAccess;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean accepting = true;

  /**
   * @param health extra facts for {@code /health}; it throws when a dependency is down
   * @param healthAccess who sees those facts
   */
  public WebhookRoutes(List<Trigger> triggers, ProcessEngine engine, SecretResolver resolver,
      Supplier<Map<String, Object>> health, HealthAccess healthAccess, Clock clock) {
    this.triggers = triggers.stream().collect(Collectors.toMap(Trigger::name, t -> t,
        (a, b) -> a, LinkedHashMap::new));
    this.engine = engine;
    this.resolver = resolver;
    this.health = health;
    this.healthAccess = healthAccess;
    this.clock = clock;
  }

  public void register(Javalin app) {
    app.post("/hooks/{trigger}", this::hook);
    app.get("/health", this::health);
  }

  /** Stops accepting hooks (503) and waits up to {@code timeout} for those in flight. */
  public boolean drain(Duration timeout) throws InterruptedException {
    accepting = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return inFlight.get() == 0;
  }

  private void hook(Context ctx) throws Exception {
    noStore(ctx);
    Trigger trigger = triggers.get(ctx.pathParam("trigger"));
    if (trigger == null) {
      throw new NotFoundResponse("no trigger " + ctx.pathParam("trigger"));
    }
    inFlight.incrementAndGet();
    try {
      if (!accepting) {
        problem(ctx, 503, "shutting-down", "The server is shutting down; retry elsewhere or later.");
        return;
      }
      byte[] body = ctx.bodyAsBytes();
      TriggerAuth.Request request = new TriggerAuth.Request() {
        @Override
        public String header(String name) {
          return ctx.header(name);
        }

        @Override
        public byte[] body() {
          return body;
        }
      };
      SecretContext who = new SecretContext(trigger.tenant(), "webhook:" + trigger.name(),
          null, null);
      java.util.Optional<String> refusal;
      try (SecretValue secret = resolver.resolve(trigger.secretRef(), who)) {
        refusal = trigger.auth().verify(request, secret, clock.instant());
      } catch (SecretException e) {
        log.error("Trigger '{}' cannot authenticate requests: its secret {} does not resolve"
            + " ({}). {}", trigger.name(), trigger.secretRef(), e.error(), e.remedy());
        problem(ctx, 503, "auth-secret-unavailable", "The trigger's secret is unavailable.");
        return;
      }
      if (refusal.isPresent()) {
        log.warn("Refused webhook '{}' from {}: {}", trigger.name(), ctx.ip(), refusal.get());
        trigger.auth().challenge().ifPresent(c -> ctx.header("WWW-Authenticate", c));
        problem(ctx, 401, "unauthorized", "Authentication failed.");
        return;
      }
      ProcessInstantiationBuilder start = engine.getRuntimeService()
          .createProcessInstanceByKey(trigger.process())
          .setVariable(trigger.inputVariable(), new String(body, StandardCharsets.UTF_8));
      if (trigger.tenant() != null) {
        start.processDefinitionTenantId(trigger.tenant());
      }
      ProcessInstance pi;
      try {
        pi = start.execute();
      } catch (PreRunCheckException e) {
        log.warn("Webhook '{}' could not start process '{}': {}", trigger.name(),
            trigger.process(), e.getMessage());
        problem(ctx, 422, "start-refused", SecretMasker.shared().mask(e.getMessage()));
        return;
      } catch (RuntimeException e) {
        // The caller learns only an id to quote; the operator finds the cause under it in the log.
        String errorId = UUID.randomUUID().toString();
        log.error("Webhook '{}' could not start process '{}' (error id {}): {}", trigger.name(),
            trigger.process(), errorId, SecretMasker.shared().mask(e.toString()));
        problem(ctx, 500, "start-failed", "The process could not be started; quote error id "
            + errorId + " to the operator.");
        return;
      }
      log.info("Webhook '{}' started process '{}' instance {}", trigger.name(),
          trigger.process(), pi.getId());
      Map<String, Object> body202 = new LinkedHashMap<>();
      body202.put("trigger", trigger.name());
      body202.put("processInstanceId", pi.getId());
      write(ctx, 202, "application/json", body202);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void health(Context ctx) throws Exception {
    noStore(ctx);
    HealthAccess.Outcome access = healthAccess.check(ctx.header("Authorization"));
    if (access == HealthAccess.Outcome.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"secret-fetch\"");
      problem(ctx, 401, "unauthorized", "The health detail needs a valid API key; call without"
          + " credentials for the status only.");
      return;
    }
    if (access == HealthAccess.Outcome.FORBIDDEN) {
      problem(ctx, 403, "missing-scope", "The health detail needs an API key with the scope "
          + HealthAccess.SCOPE.code() + ".");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (!accepting) {
      body.put("status", "STOPPING");
      write(ctx, 503, "application/json", body);
      return;
    }
    try {
      // The databases are queried either way, so the status means the same to everyone.
      Map<String, Object> detail = health.get();
      body.put("status", "UP");
      if (access == HealthAccess.Outcome.DETAIL) {
        body.putAll(detail);
        body.put("triggers", triggers.keySet());
      }
      write(ctx, 200, "application/json", body);
    } catch (RuntimeException e) {
      log.warn("Health check failed: {}", e.toString());
      body.put("status", "DOWN");
      write(ctx, 503, "application/json", body);
    }
  }

  private static void problem(Context ctx, int status, String error, String detail)
      throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "about:blank");
    p.put("title", error);
    p.put("status", status);
    p.put("error", error);
    p.put("detail", detail);
    write(ctx, status, "application/problem+json", p);
  }

  private static void write(Context ctx, int status, String type, Object body) throws Exception {
    ctx.status(status).contentType(type).result(JSON.writeValueAsBytes(body));
  }

  private static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
  }
}
