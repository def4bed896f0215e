package io.secretfetch.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.auth.NewApiKey;
import io.secretfetch.platform.auth.Scope;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.HttpsClient.Res;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API probed as a client would, over real TLS: method overrides, every route under every
 * method, HEAD on the value path, duplicate JSON keys, and Jetty's own answers to malformed
 * requests. One server for the class, an H2 store.
 */
class HttpProbeTest {
  static final String AUD = "https://secrets.test";
  static final SecretContext ACME = new SecretContext("acme", "ops@acme", null, null);
  static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
      "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO");
  static Path dir;
  static PlatformSecretStore store;
  static PlatformHttpServer server;
  static HttpsClient http;
  static RawHttps raw;
  static ECKey worker;
  static String manageKey;
  static String readKey;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sf-probe");
    store = PlatformSecretStore.embedded(dir);
    worker = ServiceTokens.generateWorkerKey("worker-1");
    server = PlatformHttpServer.builder(store).port(0).audience(AUD)
        .tls(ServerTls.selfSigned(dir))
        .trustWorker(new TrustedWorker(worker, Set.of("acme")))
        .build().start();
    http = new HttpsClient(server.tls().certificate(), server.port());
    raw = new RawHttps(server.tls().certificate(), server.port());
    manageKey = key(EnumSet.of(Scope.SECRETS_MANAGE, Scope.SECRETS_READ));
    readKey = key(EnumSet.of(Scope.SECRETS_READ));
  }

  static String key(Set<Scope> scopes) {
    try (NewApiKey k = store.credentials().createApiKey(ACME, "probe-" + scopes, scopes, null)) {
      return k.reveal();
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static String token() {
    return ServiceTokens.mint(worker, "worker-a", AUD, "acme", null, null, Instant.now(),
        Duration.ofMinutes(2));
  }

  static String canary() {
    return "CANARY" + UUID.randomUUID().toString().replace("-", "");
  }

  static void assertSecurityHeaders(String what, Map<String, String> headers) {
    assertThat(headers.get("strict-transport-security")).as(what + " HSTS")
        .isEqualTo("max-age=31536000; includeSubDomains");
    assertThat(headers.get("cache-control")).as(what + " Cache-Control").isEqualTo("no-store");
    assertThat(headers.get("x-content-type-options")).as(what + " nosniff").isEqualTo("nosniff");
    assertThat(headers.get("content-security-policy")).as(what + " CSP")
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertThat(headers.get("server")).as(what + " Server").isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // Method overrides

  @Test
  void noMethodOverrideDeletesASecret() throws Exception {
    store.create(ACME, NewSecret.builder("ovr/s").value(canary()).build());
    String path = "/api/v1/secrets/ovr/s";
    for (String method : List.of("GET", "POST", "PUT")) {
      for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method",
          "X-Method-Override")) {
        Res r = http.send(method, path, manageKey, method.equals("GET") ? null : "{}",
            header, "DELETE");
        assertThat(r.status()).as(method + " with " + header).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("field").asText()).isEqualTo(header);
        assertThat(r.json().get("detail").asText()).contains(header)
            .contains("send the request with the method itself");
      }
      Res q = http.send(method, path + "?_method=DELETE", manageKey,
          method.equals("GET") ? null : "{}");
      assertThat(q.status()).as(method + " ?_method=DELETE").isEqualTo(400);
      assertThat(q.json().get("field").asText()).isEqualTo("_method");
      assertThat(http.send(method, path + "?x=1&%5Fmethod=DELETE", manageKey,
          method.equals("GET") ? null : "{}").status()).as("encoded _method").isEqualTo(400);
      // A form field is never read as the method: POST and PUT are simply not this path's.
      Res form = http.send(method, path, manageKey, "_method=DELETE", "Content-Type",
          "application/x-www-form-urlencoded");
      assertThat(form.status()).as(method + " form _method").isIn(200, 405);
    }
    // A query the guard cannot decode is not its business: the route answers.
    assertThat(raw.request("GET", path + "?x=%zz", "Authorization", "Bearer " + manageKey)
        .status()).isEqualTo(200);
    // Lower-case header names are the same headers.
    assertThat(http.send("GET", path, manageKey, null, "x-http-method-override", "DELETE")
        .status()).isEqualTo(400);
    assertThat(store.metadata(ACME, "ovr/s").deleted()).isFalse();
    assertThat(store.audit().query(AuditQuery.forTenant("acme").secret("ovr/s")
        .action(AuditAction.DELETE))).isEmpty();
    // The real method still works.
    assertThat(http.send("DELETE", path, manageKey, null).status()).isEqualTo(200);
    assertThat(store.metadata(ACME, "ovr/s").deleted()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // Every route under every method

  /** A concrete path, the route template it stands for, and every method some route serves it. */
  record Row(String template, String path, Set<String> allowed) {}

  /**
   * Written out, not derived: a secret name may contain '/', so {@code /secrets/<name>} also
   * serves the fixed-suffix paths (a secret named {@code x/value} can be deleted).
   */
  static final List<Row> TABLE = List.of(
      new Row("/api/v1/health", "/api/v1/health", Set.of("GET")),
      new Row("/api/v1/openapi.json", "/api/v1/openapi.json", Set.of("GET")),
      new Row("/api/v1/secrets", "/api/v1/secrets", Set.of("GET", "POST")),
      new Row("/api/v1/secrets/check", "/api/v1/secrets/check", Set.of("POST", "GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/value", "/api/v1/secrets/t/x/value", Set.of("GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/metadata", "/api/v1/secrets/t/x/metadata",
          Set.of("GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/versions", "/api/v1/secrets/t/x/versions",
          Set.of("GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/rotate", "/api/v1/secrets/t/x/rotate",
          Set.of("PUT", "GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/rollback", "/api/v1/secrets/t/x/rollback",
          Set.of("POST", "GET", "DELETE")),
      new Row("/api/v1/secrets/{name}/versions/{version}", "/api/v1/secrets/t/x/versions/2",
          Set.of("DELETE", "GET")),
      new Row("/api/v1/secrets/{name}", "/api/v1/secrets/t/x", Set.of("GET", "DELETE")),
      new Row("/api/v1/audit-log", "/api/v1/audit-log", Set.of("GET")));

  @Test
  void theTableCoversEveryRoute() {
    Set<String> covered = new TreeSet<>();
    for (Row row : TABLE) {
      for (String m : row.allowed()) {
        covered.add(m + " " + row.template());
      }
    }
    assertThat(covered).containsAll(server.routes());
  }

  @Test
  void everyRouteAnswersOnlyItsDocumentedMethods() throws Exception {
    String probe = canary();
    List<String> failures = new ArrayList<>();
    for (Row row : TABLE) {
      for (String method : METHODS) {
        String what = method + " " + row.path();
        RawHttps.Response r;
        try {
          r = raw.request(method, row.path(), "X-Probe", probe);
        } catch (java.net.SocketTimeoutException e) {
          throw new AssertionError(what + ": no answer", e);
        }
        assertSecurityHeaders(what, r.headers());
        assertThat(r.raw()).as(what + " never echoes the request").doesNotContain(probe);
        if (row.allowed().contains(method)) {
          if (r.status() == 405) {
            failures.add(what + " answered 405");
          }
          continue;
        }
        if (r.status() != 405) {
          failures.add(what + " answered " + r.status() + " instead of 405");
          continue;
        }
        assertThat(new TreeSet<>(Arrays.asList(r.header("Allow").split(",\\s*"))))
            .as(what + " Allow").isEqualTo(new TreeSet<>(row.allowed()));
        assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
        if (!method.equals("HEAD")) {
          assertThat(r.body()).as(what).contains("\"status\":405");
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void unknownPathsAre404WithTheHeaders() throws Exception {
    for (String method : List.of("GET", "HEAD", "OPTIONS", "TRACE", "FOO")) {
      RawHttps.Response r = raw.request(method, "/nothing/here");
      assertThat(r.status()).as(method).isEqualTo(404);
      assertSecurityHeaders(method + " /nothing/here", r.headers());
    }
  }

  @Test
  void headAndOptionsOnTheValueNeitherAnswerNorUseUpTheToken() throws Exception {
    String value = canary();
    store.create(ACME, NewSecret.builder("head/s").value(value).build());
    String once = token();
    for (String method : List.of("HEAD", "OPTIONS", "TRACE")) {
      RawHttps.Response r = raw.request(method, "/api/v1/secrets/head/s/value",
          "Authorization", "Bearer " + once);
      assertThat(r.status()).as(method).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET, DELETE");
      assertThat(r.raw()).doesNotContain(value).doesNotContain(once);
    }
    assertThat(store.audit().query(AuditQuery.forTenant("acme").secret("head/s")
        .action(AuditAction.READ_VALUE))).isEmpty();
    Res get = http.get("/api/v1/secrets/head/s/value", once);
    assertThat(get.status()).as(get.body()).isEqualTo(200);
    assertThat(get.json().get("value").asText()).isEqualTo(value);
    assertThat(http.get("/api/v1/secrets/head/s/value", once).status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------------------------------------
  // Duplicate JSON keys

  @Test
  void duplicateKeysAreRefusedNamingTheKeyNeverAValue() throws Exception {
    String v1 = canary();
    String v2 = canary();
    Res create = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"dup/a\",\"value\":\"" + v1 + "\",\"value\":\"" + v2 + "\"}");
    assertThat(create.status()).isEqualTo(400);
    assertThat(create.contentType()).isEqualTo("application/problem+json");
    assertThat(create.json().get("field").asText()).isEqualTo("value");
    assertThat(create.json().get("key").asText()).isEqualTo("value");
    assertThat(create.json().get("detail").asText())
        .contains("the key 'value' appears twice in the same object (at /value)");
    assertThat(create.body()).doesNotContain(v1).doesNotContain(v2);
    assertThat(http.get("/api/v1/secrets/dup/a/metadata", readKey).status()).isEqualTo(404);

    Res nameTwice = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"dup/b\",\"name\":\"dup/c\",\"value\":\"" + v1 + "\"}");
    assertThat(nameTwice.status()).isEqualTo(400);
    assertThat(nameTwice.json().get("field").asText()).isEqualTo("name");

    store.create(ACME, NewSecret.builder("dup/r").value(v1).build());
    Res rotate = http.send("PUT", "/api/v1/secrets/dup/r/rotate", manageKey,
        "{\"value\":\"" + v2 + "\",\"expires_at\":null,\"expires_at\":null}");
    assertThat(rotate.status()).isEqualTo(400);
    assertThat(rotate.json().get("field").asText()).isEqualTo("expires_at");
    assertThat(store.metadata(ACME, "dup/r").activeVersion()).isEqualTo(1);

    Res check = http.send("POST", "/api/v1/secrets/check", readKey,
        "{\"refs\":[{\"name\":\"dup/r\"},{\"name\":\"dup/r\",\"name\":\"other\"}]}");
    assertThat(check.status()).isEqualTo(400);
    assertThat(check.json().get("field").asText()).isEqualTo("refs[1].name");
    assertThat(check.json().get("detail").asText()).contains("/refs/1/name");

    Res rollback = http.send("POST", "/api/v1/secrets/dup/r/rollback", manageKey,
        "{\"version\":1,\"version\":2}");
    assertThat(rollback.status()).isEqualTo(400);
    assertThat(rollback.json().get("field").asText()).isEqualTo("version");
  }

  @Test
  void aServiceTokenWithATenantClaimTwiceIsRefused() throws Exception {
    store.create(new SecretContext("globex", "ops@globex", null, null),
        NewSecret.builder("dup/globex").value(canary()).build());
    long now = Instant.now().getEpochSecond();
    // Signed by the trusted worker; a "last one wins" reader would see tenant globex.
    String claims = "{\"sub\":\"worker-a\",\"aud\":\"" + AUD + "\",\"iat\":" + now + ",\"exp\":"
        + (now + 60) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"tenant\":\"acme\","
        + "\"tenant\":\"globex\"}";
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(worker.getKeyID()).type(new JOSEObjectType(ServiceTokens.TYPE)).build(),
        new Payload(claims.getBytes(StandardCharsets.UTF_8)));
    jws.sign(new ECDSASigner(worker));
    Res r = http.get("/api/v1/secrets/dup/globex/value", jws.serialize());
    assertThat(r.status()).as(r.body()).isEqualTo(401);
  }

  // ---------------------------------------------------------------------------------------------
  // Jetty's own answers

  @Test
  void jettysOwnErrorAnswersCarryTheSecurityHeaders() throws Exception {
    String probe = canary();
    Map<String, String> requests = new java.util.LinkedHashMap<>();
    requests.put("malformed request line", probe + "\r\n\r\n");
    requests.put("request line without version", "GET /api/v1/health?" + probe + "\r\n\r\n");
    requests.put("unknown HTTP version", "GET /api/v1/health HTTP/7.1\r\nHost: x\r\n\r\n");
    requests.put("header without colon", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
        + probe + "\r\n\r\n");
    requests.put("control character in a header", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
        + "X-Probe: " + probe + "\u0001\r\n\r\n");
    requests.put("space before the colon", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
        + "X-Probe : " + probe + "\r\n\r\n");
    requests.put("oversized header", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Probe: "
        + probe + "A".repeat(20_000) + "\r\n\r\n");
    requests.put("bad percent-encoding", "GET /api/v1/secrets/%zz" + probe
        + " HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put("NUL in the path", "GET /api/v1/secrets/a%00" + probe
        + " HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put("no Host header", "GET /api/v1/health HTTP/1.1\r\nX-Probe: " + probe
        + "\r\n\r\n");
    requests.put("two Content-Length headers", "POST /api/v1/secrets HTTP/1.1\r\nHost: x\r\n"
        + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
    Set<Integer> statuses = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : requests.entrySet()) {
      RawHttps.Response r;
      try {
        r = raw.send(e.getValue().getBytes(StandardCharsets.ISO_8859_1), false);
      } catch (java.net.SocketTimeoutException timeout) {
        throw new AssertionError(e.getKey() + ": no answer", timeout);
      }
      String what = e.getKey() + " (" + r.status() + ")";
      assertThat(r.status()).as(what).isBetween(400, 505);
      assertSecurityHeaders(what, r.headers());
      assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
      assertThat(r.raw()).as(what + " never echoes the request").doesNotContain(probe);
      statuses.add(r.status());
    }
    assertThat(statuses).contains(400, 431);
  }
}
