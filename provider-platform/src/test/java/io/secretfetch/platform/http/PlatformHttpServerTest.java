package io.secretfetch.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditEvent;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.auth.NewApiKey;
import io.secretfetch.platform.auth.Scope;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.HttpsClient.Res;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.testing.LogCapture;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTPS API end to end: one server for the class, a real TLS client, an H2 store. */
class PlatformHttpServerTest {
  static final String AUD = "https://secrets.test";
  static Path dir;
  static PlatformSecretStore store;
  static PlatformHttpServer server;
  static HttpsClient http;
  static LogCapture logs;
  static ECKey worker;
  static ECKey otherWorker;
  static String readKey;
  static String manageKey;
  static String valueKey;
  static String allKey;
  static String otherTenantKey;
  static final List<String> canaries = new ArrayList<>();
  static final SecretContext ACME = new SecretContext("acme", "ops@acme", null, null);

  static String canary() {
    String c = "CANARY" + UUID.randomUUID().toString().replace("-", "");
    canaries.add(c);
    return c;
  }

  @BeforeAll
  static void start() throws Exception {
    logs = new LogCapture();
    dir = Files.createTempDirectory("sf-http");
    store = PlatformSecretStore.embedded(dir);
    worker = ServiceTokens.generateWorkerKey("worker-1");
    otherWorker = ServiceTokens.generateWorkerKey("worker-2");
    server = PlatformHttpServer.builder(store).port(0).audience(AUD)
        .tls(ServerTls.selfSigned(dir))
        .trustWorker(new TrustedWorker(worker, Set.of("acme")))
        .maxRequestBytes(8 * 1024)
        .build().start();
    http = new HttpsClient(server.tls().certificate(), server.port());
    readKey = key(ACME, "reader", EnumSet.of(Scope.SECRETS_READ));
    manageKey = key(ACME, "manager", EnumSet.of(Scope.SECRETS_MANAGE));
    valueKey = key(ACME, "viewer", EnumSet.of(Scope.SECRETS_READ, Scope.SECRETS_READ_VALUE));
    allKey = key(ACME, "admin", EnumSet.allOf(Scope.class));
    otherTenantKey = key(new SecretContext("globex", "ops@globex", null, null), "globex-admin",
        EnumSet.allOf(Scope.class));
  }

  static String key(SecretContext ctx, String subject, Set<Scope> scopes) {
    try (NewApiKey k = store.credentials().createApiKey(ctx, subject, scopes, null)) {
      assertThat(k.toString()).doesNotContain(k.reveal());
      return k.reveal();
    }
  }

  @AfterAll
  static void stop() {
    try {
      // Canary scan: no response body except a value response, and no log line, holds a value.
      for (String body : http.bodies) {
        // The two value responses: GET .../value (service token) and GET /secrets/{name} for a
        // key holding secrets:read:value. Both, and only they, carry "encoding".
        boolean valueResponse = body.startsWith("GET /api/v1/secrets/")
            && body.contains(" -> 200 ") && body.contains("\"encoding\":");
        if (!valueResponse) {
          for (String c : canaries) {
            assertThat(body).as("response body").doesNotContain(c);
          }
        }
      }
      String logText = logs.text();
      assertThat(logText).isNotEmpty();
      for (String c : canaries) {
        assertThat(logText).as("log lines").doesNotContain(c);
      }
      for (String k : List.of(readKey, manageKey, valueKey, allKey)) {
        assertThat(logText).doesNotContain(k.substring(21));
      }
    } finally {
      logs.close();
      server.close();
      store.close();
    }
  }

  String token(String tenant) {
    return ServiceTokens.mint(worker, "worker-a", AUD, tenant, "pi-1", "task-1", Instant.now(),
        Duration.ofMinutes(2));
  }

  String create(String name, String value) throws Exception {
    Res r = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"" + name + "\",\"value\":\"" + value + "\",\"category\":\"credential\","
            + "\"tags\":{\"env\":\"prod\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // TLS

  @Test
  void servesTlsOnlyWithHstsAndNoStore() throws Exception {
    Res r = http.get("/api/v1/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Strict-Transport-Security")).contains("max-age=31536000");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    assertThat(r.header("Server")).isNull();
    // A plaintext HTTP request on the same port gets no HTTP answer.
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      byte[] answer = s.getInputStream().readNBytes(64);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 200");
    }
    assertThat(server.certificateSha256()).hasSize(64);
    assertThat(logs.text()).contains(server.certificateSha256());
  }

  @Test
  void selfSignedCertificateIsReusedOnTheNextStart() {
    assertThat(ServerTls.selfSigned(dir).fingerprintSha256())
        .isEqualTo(server.certificateSha256());
  }

  // ---------------------------------------------------------------------------------------------
  // Routes and scopes

  @Test
  void secretLifecycleThroughEveryRoute() throws Exception {
    String v1 = create("life/db", canary());
    Res list = http.get("/api/v1/secrets?prefix=life/&tag=env=prod&category=credential", readKey);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items").get(0).get("name").asText()).isEqualTo("life/db");

    Res masked = http.get("/api/v1/secrets/life/db", readKey);
    assertThat(masked.status()).isEqualTo(200);
    assertThat(masked.json().get("value").asText()).isEqualTo("********");
    assertThat(masked.header("ETag")).isEqualTo("\"1\"");

    Res shown = http.get("/api/v1/secrets/life/db", valueKey);
    assertThat(shown.json().get("value").asText()).isEqualTo(v1);

    Res meta = http.get("/api/v1/secrets/life/db/metadata", readKey);
    assertThat(meta.json().has("value")).isFalse();
    assertThat(meta.json().get("category").asText()).isEqualTo("credential");

    String v2 = canary();
    Res rotated = http.send("PUT", "/api/v1/secrets/life/db/rotate", manageKey,
        "{\"value\":\"" + v2 + "\"}", "If-Match", "\"1\"");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.header("ETag")).isEqualTo("\"2\"");

    Res stale = http.send("PUT", "/api/v1/secrets/life/db/rotate", manageKey,
        "{\"value\":\"" + canary() + "\"}", "If-Match", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.contentType()).isEqualTo("application/problem+json");

    Res versions = http.get("/api/v1/secrets/life/db/versions", readKey);
    assertThat(versions.json().get("items")).hasSize(2);

    Res value = http.get("/api/v1/secrets/life/db/value", token("acme"));
    assertThat(value.status()).as(value.body()).isEqualTo(200);
    assertThat(value.json().get("value").asText()).isEqualTo(v2);
    Res pinned = http.get("/api/v1/secrets/life/db/value?version=1", token("acme"));
    assertThat(pinned.json().get("value").asText()).isEqualTo(v1);

    Res rollback = http.send("POST", "/api/v1/secrets/life/db/rollback", manageKey,
        "{\"version\":1}");
    assertThat(rollback.json().get("active_version").asInt()).isEqualTo(1);

    Res destroy = http.send("DELETE", "/api/v1/secrets/life/db/versions/2", manageKey, null);
    assertThat(destroy.status()).as(destroy.body()).isEqualTo(200);
    Res gone = http.get("/api/v1/secrets/life/db/value?version=2", token("acme"));
    assertThat(gone.status()).isEqualTo(410);

    Res deleted = http.send("DELETE", "/api/v1/secrets/life/db", manageKey, null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(http.get("/api/v1/secrets/life/db/value", token("acme")).status()).isEqualTo(410);

    Res audit = http.get("/api/v1/audit-log?resource_type=secret&secret=life/db", manageKey);
    assertThat(audit.status()).isEqualTo(200);
    List<String> actors = new ArrayList<>();
    audit.json().get("items").forEach(e -> actors.add(e.get("action").asText() + ":"
        + e.get("actor").asText()));
    assertThat(actors).contains("create:manager", "rotate:manager", "read_value:viewer",
        "read_value:worker-a", "rollback:manager", "destroy_version:manager", "delete:manager");
    AuditEvent read = store.audit().query(AuditQuery.forTenant("acme").secret("life/db")
        .action(AuditAction.READ_VALUE)).stream().filter(e -> "worker-a".equals(e.actor()))
        .findFirst().orElseThrow();
    assertThat(read.processInstanceId()).isEqualTo("pi-1");
    assertThat(read.activityId()).isEqualTo("task-1");
  }

  @Test
  void postUpdatesAnExistingSecretAndGenerateNeverEchoesTheValue() throws Exception {
    create("upd/x", canary());
    Res again = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"upd/x\",\"value\":\"" + canary() + "\",\"description\":\"d\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("active_version").asInt()).isEqualTo(2);
    assertThat(again.json().get("description").asText()).isEqualTo("d");
    Res gen = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"upd/gen\",\"generate\":{\"length\":40,\"alphabet\":\"hex\"}}");
    assertThat(gen.status()).isEqualTo(201);
    assertThat(gen.json().has("value")).isFalse();
    Res value = http.get("/api/v1/secrets/upd/gen/value", token("acme"));
    assertThat(value.json().get("value").asText()).hasSize(40);
  }

  @Test
  void everyScopeCombinationGetsExactlyItsRoutes() throws Exception {
    create("scopes/s", canary());
    for (Set<Scope> scopes : powerSet()) {
      String k = scopes.isEmpty() ? null : key(ACME, "combo-" + scopes, scopes);
      if (k == null) {
        continue;
      }
      boolean read = scopes.contains(Scope.SECRETS_READ);
      boolean manage = scopes.contains(Scope.SECRETS_MANAGE);
      expect(http.get("/api/v1/secrets", k), read, "secrets:read");
      expect(http.get("/api/v1/secrets/scopes/s", k), read, "secrets:read");
      expect(http.get("/api/v1/secrets/scopes/s/metadata", k), read, "secrets:read");
      expect(http.get("/api/v1/secrets/scopes/s/versions", k), read, "secrets:read");
      expect(http.send("POST", "/api/v1/secrets/check", k, "{\"refs\":[{\"name\":\"scopes/s\"}]}"),
          read, "secrets:read");
      expect(http.get("/api/v1/audit-log", k), manage, "secrets:manage");
      expect(http.send("PUT", "/api/v1/secrets/scopes/s/rotate", k,
          "{\"value\":\"" + canary() + "\"}"), manage, "secrets:manage");
      // Never with an API key, whatever its scopes.
      assertThat(http.get("/api/v1/secrets/scopes/s/value", k).status()).isEqualTo(401);
      if (read) {
        JsonNode body = http.get("/api/v1/secrets/scopes/s", k).json();
        assertThat(body.has("encoding"))
            .isEqualTo(scopes.contains(Scope.SECRETS_READ_VALUE));
      }
    }
  }

  static void expect(Res r, boolean allowed, String scope) {
    if (allowed) {
      assertThat(r.status()).as(r.body()).isBetween(200, 299);
    } else {
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
      assertThat(r.json().get("missing_scope").asText()).isEqualTo(scope);
      assertThat(r.json().get("detail").asText()).contains(scope);
    }
  }

  static List<Set<Scope>> powerSet() {
    List<Set<Scope>> out = new ArrayList<>();
    Scope[] all = Scope.values();
    for (int m = 0; m < (1 << all.length); m++) {
      Set<Scope> s = EnumSet.noneOf(Scope.class);
      for (int i = 0; i < all.length; i++) {
        if ((m & (1 << i)) != 0) {
          s.add(all[i]);
        }
      }
      out.add(s);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  @Test
  void errorsAreProblemsWithTheIssuesStatusCodes() throws Exception {
    Res noField = http.send("POST", "/api/v1/secrets", manageKey, "{\"value\":\"x\"}");
    assertThat(noField.status()).isEqualTo(400);
    assertThat(noField.contentType()).isEqualTo("application/problem+json");
    assertThat(noField.json().get("field").asText()).isEqualTo("name");
    String planted = canary();
    Res badJson = http.send("POST", "/api/v1/secrets", manageKey, "{\"value\":\"" + planted);
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().get("field").asText()).isEqualTo("body");
    Res badName = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"-bad\",\"value\":\"" + canary() + "\"}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().get("detail").asText()).contains("name");

    assertThat(http.get("/api/v1/secrets", null).status()).isEqualTo(401);
    Res wrongKey = http.get("/api/v1/secrets", readKey.substring(0, readKey.length() - 2) + "xx");
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(wrongKey.header("WWW-Authenticate")).startsWith("Bearer");

    Res missing = http.get("/api/v1/secrets/nope/metadata", readKey);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("type").asText()).endsWith("/not-found");

    create("err/dup", canary());
    assertThat(http.send("POST", "/api/v1/secrets/err/dup/rollback", manageKey,
        "{\"version\":7}").status()).isEqualTo(404);
    store.delete(ACME, "err/dup");
    assertThat(http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"err/dup\",\"value\":\"" + canary() + "\"}").status()).isEqualTo(409);

    store.create(ACME, NewSecret.builder("err/exp").value(canary())
        .expiresAt(Instant.now().plus(Duration.ofDays(1))).build());
    try (var c = java.sql.DriverManager.getConnection(
        PlatformSecretStore.h2FileUrl(dir.resolve("store")))) {
      c.createStatement().executeUpdate("UPDATE sf_secret SET expires_at = TIMESTAMP WITH TIME ZONE"
          + " '2001-01-01 00:00:00+00' WHERE name = 'err/exp'");
    }
    Res expired = http.get("/api/v1/secrets/err/exp/value", token("acme"));
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.json().get("error").asText()).isEqualTo("EXPIRED");

    Res big = http.send("POST", "/api/v1/secrets", manageKey,
        "{\"name\":\"big\",\"value\":\"" + "A".repeat(9000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.contentType()).isEqualTo("application/problem+json");

    Res noRoute = http.get("/api/v1/nothing-here", readKey);
    assertThat(noRoute.status()).isEqualTo(404);
    assertThat(noRoute.contentType()).isEqualTo("application/problem+json");
  }

  @Test
  void checkAnswersEachReferenceInOrderWithoutAValue() throws Exception {
    String value = create("chk/a", canary());
    Res r = http.send("POST", "/api/v1/secrets/check", readKey,
        "{\"refs\":[{\"name\":\"chk/a\"},{\"name\":\"chk/a\",\"version\":9},"
            + "{\"name\":\"chk/missing\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(value);
    JsonNode items = r.json().get("items");
    assertThat(items).hasSize(3);
    assertThat(items.get(0).get("ok").asBoolean()).isTrue();
    assertThat(items.get(1).get("error").asText()).isEqualTo("VERSION_NOT_FOUND");
    assertThat(items.get(2).get("error").asText()).isEqualTo("NOT_FOUND");
    assertThat(items.get(2).get("remedy").asText()).isNotBlank();
    // A service token may check too, so a worker never needs an API key.
    assertThat(http.send("POST", "/api/v1/secrets/check", token("acme"),
        "{\"refs\":[{\"name\":\"chk/a\"}]}").status()).isEqualTo(200);

    Res notArray = http.send("POST", "/api/v1/secrets/check", readKey, "{\"refs\":{}}");
    assertThat(notArray.status()).isEqualTo(400);
    assertThat(notArray.json().get("field").asText()).isEqualTo("refs");
    Res noName = http.send("POST", "/api/v1/secrets/check", readKey, "{\"refs\":[{}]}");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().get("field").asText()).isEqualTo("refs[0].name");
    StringBuilder many = new StringBuilder("{\"refs\":[");
    for (int i = 0; i <= 500; i++) {
      many.append(i == 0 ? "" : ",").append("{\"name\":\"n").append(i).append("\"}");
    }
    Res tooMany = http.send("POST", "/api/v1/secrets/check", readKey, many.append("]}").toString());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("detail").asText()).contains("at most 500");
  }

  @Test
  void decryptionFailureIs500WithoutDetail() throws Exception {
    create("err/tamper", canary());
    // Move another version's ciphertext onto this secret: it must not decrypt.
    create("err/donor", canary());
    try (var c = java.sql.DriverManager.getConnection(
        PlatformSecretStore.h2FileUrl(dir.resolve("store")))) {
      c.createStatement().executeUpdate("UPDATE sf_secret_version SET ciphertext = (SELECT v.ciphertext"
          + " FROM sf_secret_version v JOIN sf_secret s ON s.id = v.secret_id WHERE s.name = 'err/donor')"
          + " WHERE secret_id = (SELECT id FROM sf_secret WHERE name = 'err/tamper')");
    }
    Res r = http.get("/api/v1/secrets/err/tamper/value", token("acme"));
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.json().has("detail")).isFalse();
    assertThat(r.json().get("error").asText()).isEqualTo("DECRYPTION_FAILED");
  }

  // ---------------------------------------------------------------------------------------------
  // Service tokens

  @Test
  void badTokensAreRefusedAndAudited() throws Exception {
    create("tok/s", canary());
    Instant now = Instant.now();
    String forgedKey = ServiceTokens.mint(otherWorker, "worker-a", AUD, "acme", null, null, now,
        Duration.ofMinutes(1));
    ECKey impostor = new ECKey.Builder(ServiceTokens.generateWorkerKey("worker-1")).build();
    String forgedSig = ServiceTokens.mint(impostor, "worker-a", AUD, "acme", null, null, now,
        Duration.ofMinutes(1));
    String expired = ServiceTokens.mint(worker, "worker-a", AUD, "acme", null, null,
        now.minus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
    String wrongAud = ServiceTokens.mint(worker, "worker-a", "https://elsewhere", "acme", null,
        null, now, Duration.ofMinutes(1));
    String tooLong = signed(worker, JWSAlgorithm.ES256, now, now.plus(Duration.ofMinutes(30)),
        "acme");
    String hmac = hs256(now);
    String unsigned = new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder().subject("x")
        .audience(AUD).build()).serialize();
    for (String bad : List.of(forgedKey, forgedSig, expired, wrongAud, tooLong, hmac, unsigned,
        "not-a-jwt")) {
      Res r = http.get("/api/v1/secrets/tok/s/value", bad);
      assertThat(r.status()).as(bad).isEqualTo(401);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
    }
    String once = token("acme");
    assertThat(http.get("/api/v1/secrets/tok/s/value", once).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/secrets/tok/s/value", once).status()).isEqualTo(401);

    List<AuditEvent> refusals = store.audit().query(AuditQuery.allTenants()
        .action(AuditAction.AUTHENTICATE).limit(1000));
    assertThat(refusals).extracting(AuditEvent::detail)
        .anyMatch(d -> d.contains("replay"))
        .anyMatch(d -> d.contains("audience"))
        .anyMatch(d -> d.contains("expired"))
        .anyMatch(d -> d.contains("unknown key"))
        .anyMatch(d -> d.contains("signature"))
        .anyMatch(d -> d.contains("lifetime"));
  }

  @Test
  void tokensCannotCrossTenants() throws Exception {
    store.create(new SecretContext("globex", "ops@globex", null, null),
        NewSecret.builder("tenant/only-globex").value(canary()).build());
    // The worker may act in acme only: claiming globex is refused.
    Res claim = http.get("/api/v1/secrets/tenant/only-globex/value", token("globex"));
    assertThat(claim.status()).isEqualTo(403);
    // Its acme token does not see globex's secret.
    assertThat(http.get("/api/v1/secrets/tenant/only-globex/value", token("acme")).status())
        .isEqualTo(404);
    // An API key of another tenant sees nothing of acme.
    create("tenant/acme", canary());
    assertThat(http.get("/api/v1/secrets/tenant/acme/metadata", otherTenantKey).status())
        .isEqualTo(404);
  }

  @Test
  void valueRefusesApiKeysAndBrowsersAndSendsNoCors() throws Exception {
    create("cors/s", canary());
    Res withOrigin = http.send("GET", "/api/v1/secrets/cors/s/value", token("acme"), null,
        "Origin", "https://evil.example");
    assertThat(withOrigin.status()).isEqualTo(403);
    assertThat(withOrigin.header("Access-Control-Allow-Origin")).isNull();
    Res preflight = http.send("OPTIONS", "/api/v1/secrets/cors/s/value", null, null,
        "Origin", "https://evil.example", "Access-Control-Request-Method", "GET");
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertThat(http.get("/api/v1/secrets/cors/s/value", allKey).status()).isEqualTo(401);
  }

  @Test
  void apiKeysAreHashedRevocableAndFailuresAudited() throws Exception {
    String k;
    String keyId;
    try (NewApiKey nk = store.credentials().createApiKey(ACME, "temp", EnumSet.of(Scope.SECRETS_READ),
        null)) {
      k = nk.reveal();
      keyId = nk.info().keyId();
    }
    assertThat(http.get("/api/v1/secrets", k).status()).isEqualTo(200);
    try (var c = java.sql.DriverManager.getConnection(
        PlatformSecretStore.h2FileUrl(dir.resolve("store")));
        var rs = c.createStatement().executeQuery("SELECT * FROM sf_api_key")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object o = rs.getObject(i);
          String s = o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1)
              : String.valueOf(o);
          assertThat(s).doesNotContain(k.substring(21));
        }
      }
    }
    store.credentials().revokeApiKey(ACME, keyId);
    assertThat(http.get("/api/v1/secrets", k).status()).isEqualTo(401);
    assertThat(store.audit().query(AuditQuery.forTenant("acme").action(AuditAction.AUTHENTICATE)
        .limit(1000))).anyMatch(e -> ("key:" + keyId).equals(e.actor())
            && e.detail().contains("revoked"));
    assertThat(store.credentials().listApiKeys(ACME)).anyMatch(i -> i.keyId().equals(keyId)
        && i.revoked());
  }

  static String signed(ECKey key, JWSAlgorithm alg, Instant iat, Instant exp, String tenant)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID())
        .type(new JOSEObjectType(ServiceTokens.TYPE)).build(),
        new JWTClaimsSet.Builder().subject("worker-a").audience(AUD).issueTime(Date.from(iat))
            .expirationTime(Date.from(exp)).jwtID(UUID.randomUUID().toString())
            .claim("tenant", tenant).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static String hs256(Instant now) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("worker-1")
        .type(new JOSEObjectType(ServiceTokens.TYPE)).build(),
        new JWTClaimsSet.Builder().subject("worker-a").audience(AUD).issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString())
            .claim("tenant", "acme").build());
    jwt.sign(new MACSigner(worker.toPublicJWK().toECPublicKey().getEncoded().length >= 32
        ? java.util.Arrays.copyOf(worker.toPublicJWK().toECPublicKey().getEncoded(), 32)
        : new byte[32]));
    return jwt.serialize();
  }
}
