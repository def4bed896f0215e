package io.secretfetch.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.ConfigLoader;
import io.secretfetch.app.serve.SecretFetchServer;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.auth.NewApiKey;
import io.secretfetch.platform.auth.Scope;
import io.secretfetch.platform.http.RawHttps;
import io.secretfetch.platform.store.NewSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as one process: a real engine with its job executor, the platform store, and the
 * HTTPS listener, called with the JDK's HTTP client over TLS (trusting the server's self-signed
 * certificate). Each auth type is tried with valid, missing, wrong, replayed and tampered
 * requests; a refused request starts nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest {
  static final String API_KEY = "ak-" + UUID.randomUUID();
  static final String HMAC_SECRET = "hs-" + UUID.randomUUID();
  static final String PASSWORD = "pw-" + UUID.randomUUID();

  @TempDir static Path dir;
  SecretFetchServer server;
  HttpClient http;

  @BeforeAll
  void start() throws Exception {
    Path flows = Path.of(WebhookTest.class.getResource("/flows").toURI());
    Path config = dir.resolve("secret-fetch.yaml");
    Files.writeString(config, """
        store:
          data-dir: %s
        engine:
          jdbc-url: jdbc:h2:mem:sf-webhooks;DB_CLOSE_DELAY=-1
          deploy: [%s]
        server:
          port: 0
        triggers:
          order-key:
            process: order-received
            auth: {type: api-key, secret-ref: hook-key}
          order-signed:
            process: order-received
            input-variable: payload
            auth: {type: hmac-sha256, secret-ref: "platform:hook-hmac", tolerance: PT2M}
          order-basic:
            process: order-received
            auth: {type: basic, username: shop, secret-ref: hook-password}
          order-unbound:
            process: order-received
            auth: {type: api-key, secret-ref: not-created}
          needs-secret:
            process: needs-secret
            auth: {type: api-key, secret-ref: hook-key}
          breaks:
            process: breaks-on-start
            auth: {type: api-key, secret-ref: hook-key}
        """.formatted(dir.resolve("data"), flows));
    AppConfig c = ConfigLoader.load(config);
    server = SecretFetchServer.start(c, c.storeSettings());
    var ctx = io.secretfetch.api.SecretContext.system();
    server.runtime().store().create(ctx, NewSecret.builder("hook-key").value(API_KEY).build());
    server.runtime().store().create(ctx, NewSecret.builder("hook-hmac").value(HMAC_SECRET).build());
    server.runtime().store().create(ctx, NewSecret.builder("hook-password").value(PASSWORD).build());

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", server.tls().certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).build();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  HttpResponse<String> post(String trigger, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + server.port() + "/hooks/" + trigger)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  long started() {
    return server.runtime().engine().getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKey("order-received").count();
  }

  Object variable(String processInstanceId, String name) {
    return server.runtime().engine().getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(processInstanceId).variableName(name).singleResult().getValue();
  }

  static String sign(String secret, String timestamp, String body) {
    SecretValue key = SecretValue.ofText(new SecretMetadata(SecretRef.parse("t:k"), "1",
        Instant.now(), null), secret);
    return "sha256=" + HexFormat.of().formatHex(HmacSha256Auth.sign(key, timestamp,
        body.getBytes(StandardCharsets.UTF_8)));
  }

  static String processInstance(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.body().replaceAll(".*\"processInstanceId\":\"([^\"]+)\".*", "$1");
  }

  void assertRefused(HttpResponse<String> r, long before) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("\"error\":\"unauthorized\"")
        .doesNotContain(API_KEY).doesNotContain(HMAC_SECRET).doesNotContain(PASSWORD);
    assertThat(started()).isEqualTo(before);
  }

  @Test
  void apiKey() throws Exception {
    String pi = processInstance(post("order-key", "{\"order\":1}", "X-API-Key", API_KEY));
    assertThat(variable(pi, "body")).isEqualTo("{\"order\":1}");
    long before = started();
    assertRefused(post("order-key", "{}"), before);                                  // missing
    assertRefused(post("order-key", "{}", "X-API-Key", API_KEY + "x"), before);       // wrong
    assertRefused(post("order-key", "{}", "X-API-Key", HMAC_SECRET), before);         // another
  }

  @Test
  void hmacSha256() throws Exception {
    String body = "{\"order\":" + UUID.randomUUID() + "}";
    String ts = String.valueOf(Instant.now().getEpochSecond());
    String sig = sign(HMAC_SECRET, ts, body);
    String pi = processInstance(post("order-signed", body, "X-Signature", sig,
        "X-Signature-Timestamp", ts));
    assertThat(variable(pi, "payload")).isEqualTo(body);
    long before = started();

    assertRefused(post("order-signed", body, "X-Signature", sig, "X-Signature-Timestamp", ts),
        before);                                                                     // replayed
    assertRefused(post("order-signed", body + " ", "X-Signature", sign(HMAC_SECRET, ts, body),
        "X-Signature-Timestamp", ts), before);                                       // tampered
    String ts2 = String.valueOf(Instant.now().getEpochSecond() + 1);
    assertRefused(post("order-signed", body, "X-Signature", sign(HMAC_SECRET, ts, body),
        "X-Signature-Timestamp", ts2), before);                          // timestamp changed
    assertRefused(post("order-signed", body, "X-Signature", sign("wrong", ts2, body),
        "X-Signature-Timestamp", ts2), before);                                      // wrong key
    assertRefused(post("order-signed", body, "X-Signature-Timestamp", ts2), before); // missing
    assertRefused(post("order-signed", body, "X-Signature", sign(HMAC_SECRET, ts2, body)),
        before);                                                        // missing timestamp
    String stale = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
    assertRefused(post("order-signed", body, "X-Signature", sign(HMAC_SECRET, stale, body),
        "X-Signature-Timestamp", stale), before);                       // outside the window
    String future = String.valueOf(Instant.now().plusSeconds(600).getEpochSecond());
    assertRefused(post("order-signed", body, "X-Signature", sign(HMAC_SECRET, future, body),
        "X-Signature-Timestamp", future), before);
    assertRefused(post("order-signed", body, "X-Signature", "sha256=zz",
        "X-Signature-Timestamp", ts2), before);                                      // not hex
  }

  @Test
  void basic() throws Exception {
    processInstance(post("order-basic", "{}", "Authorization", basic("shop", PASSWORD)));
    long before = started();
    HttpResponse<String> wrong = post("order-basic", "{}", "Authorization",
        basic("shop", PASSWORD + "!"));
    assertRefused(wrong, before);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Basic realm="));
    assertRefused(post("order-basic", "{}", "Authorization", basic("mallory", PASSWORD)), before);
    assertRefused(post("order-basic", "{}"), before);
    assertRefused(post("order-basic", "{}", "Authorization", "Basic !!!"), before);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unknownTriggersAndUnresolvableSecretsStartNothing() throws Exception {
    long before = started();
    assertThat(post("no-such-trigger", "{}", "X-API-Key", API_KEY).statusCode()).isEqualTo(404);
    HttpResponse<String> unbound = post("order-unbound", "{}", "X-API-Key", API_KEY);
    assertThat(unbound.statusCode()).isEqualTo(503);
    assertThat(unbound.body()).contains("auth-secret-unavailable");
    assertThat(started()).isEqualTo(before);
  }

  @Test
  void aFlowWhoseSecretsDoNotResolveIsRefusedWithTheReport() throws Exception {
    HttpResponse<String> r = post("needs-secret", "{}", "X-API-Key", API_KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.body()).contains("start-refused").contains("never-created")
        .contains("NOT_FOUND");
    assertThat(server.runtime().engine().getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKey("needs-secret").count()).isZero();
  }

  @Test
  void aFlowThatFailsOnStartAnswers500WithAnErrorIdAndNoDetail() throws Exception {
    HttpResponse<String> r = post("breaks", "{\"order\":7}", "X-API-Key", API_KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(r.body()).contains("start-failed").containsPattern("error id [0-9a-f-]{36}")
        .doesNotContain("substring").doesNotContain("Exception").doesNotContain(API_KEY);
    assertThat(server.runtime().engine().getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKey("breaks-on-start").count()).isZero();
  }

  HttpResponse<String> health(String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
        "https://127.0.0.1:" + server.port() + "/health"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String apiKey(Scope... scopes) {
    try (NewApiKey k = server.runtime().store().credentials().createApiKey(
        io.secretfetch.api.SecretContext.system(), "monitor", EnumSet.copyOf(List.of(scopes)),
        null)) {
      return k.reveal();
    }
  }

  @Test
  void healthShowsTheStatusToAnyoneAndTheDetailToAnOpsKeyOnly() throws Exception {
    HttpResponse<String> anonymous = health();
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(anonymous.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(anonymous.headers().firstValue("Strict-Transport-Security")).isPresent();

    HttpResponse<String> ops = health("Authorization", "Bearer " + apiKey(Scope.SECRETS_MANAGE));
    assertThat(ops.statusCode()).isEqualTo(200);
    assertThat(ops.body()).contains("\"status\":\"UP\"").contains("\"jobExecutor\":true")
        .contains("\"auditHead\":").contains("order-signed");

    HttpResponse<String> reader = health("Authorization", "Bearer " + apiKey(Scope.SECRETS_READ));
    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(reader.body()).contains("secrets:manage").doesNotContain("auditHead")
        .doesNotContain("order-signed");
    for (String bad : List.of("Bearer sfk_nope_nope", "Bearer eyJhbGciOi.x.y", "Basic Zm9vOmJhcg==")) {
      HttpResponse<String> r = health("Authorization", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(401);
      assertThat(r.body()).doesNotContain("auditHead").doesNotContain("order-signed");
    }
    assertThat(server.runtime().store().audit().query(AuditQuery.allTenants()
        .action(AuditAction.AUTHENTICATE).limit(1000)))
        .anyMatch(e -> e.detail() != null && e.detail().startsWith("GET /health"));
  }

  @Test
  void theAppsRoutesAnswerOnlyTheirMethodsAndRefuseOverrides() throws Exception {
    RawHttps raw = new RawHttps(server.tls().certificate(), server.port());
    for (String method : List.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")) {
      RawHttps.Response r = raw.request(method, "/health");
      assertThat(r.status()).as(method + " /health").isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET");
      assertThat(r.header("Strict-Transport-Security")).isNotNull();
    }
    for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE")) {
      RawHttps.Response r = raw.request(method, "/hooks/order-key", "X-API-Key", API_KEY);
      assertThat(r.status()).as(method + " /hooks").isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("POST");
      assertThat(r.raw()).doesNotContain(API_KEY);
    }
    long before = started();
    HttpResponse<String> overridden = post("order-key", "{}", "X-API-Key", API_KEY,
        "X-HTTP-Method-Override", "GET");
    assertThat(overridden.statusCode()).isEqualTo(400);
    assertThat(started()).isEqualTo(before);
    // Jetty's own answer to a malformed request carries the headers too.
    RawHttps.Response bad = raw.send("GET /health HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1), false);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Strict-Transport-Security")).isNotNull();
    assertThat(bad.header("Cache-Control")).isEqualTo("no-store");
    assertThat(bad.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void healthAndThePlatformApiShareTheListener() throws Exception {
    assertThat(health().statusCode()).isEqualTo(200);
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(
        "https://127.0.0.1:" + server.port() + "/api/v1/secrets")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);      // the platform API, needing an API key
  }
}
