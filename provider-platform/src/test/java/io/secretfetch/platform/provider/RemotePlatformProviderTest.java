package io.secretfetch.platform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.MutableClock;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.http.PlatformHttpServer;
import io.secretfetch.platform.http.ServerTls;
import io.secretfetch.platform.provider.internal.RemoteClient;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.Rotation;
import io.secretfetch.platform.testing.LogCapture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The remote mode end to end: the real HTTPS server on loopback and the real provider, plus a tiny
 * JDK HTTPS stub for answers the real server cannot be made to give (503 then 200, a decryption
 * failure) and for counting connections.
 */
class RemotePlatformProviderTest {
  static final String AUD = "https://secrets.test";
  static final SecretContext ACME = new SecretContext("acme", "ops@acme", "pi-7", "task-7");
  static final SecretContext GLOBEX = new SecretContext("globex", "ops@globex", null, null);
  static final List<String> canaries = new ArrayList<>();
  static final List<String> messages = new ArrayList<>();

  static Path dir;
  static MutableClock clock;
  static PlatformSecretStore store;
  static PlatformHttpServer server;
  static LogCapture logs;
  static ECKey worker;
  static ECKey globexWorker;
  static Path workerKeyFile;
  static Path globexKeyFile;
  static Stub stub;

  static String canary() {
    String c = "CANARY" + UUID.randomUUID().toString().replace("-", "");
    canaries.add(c);
    return c;
  }

  @BeforeAll
  static void start() throws Exception {
    logs = new LogCapture();
    dir = Files.createTempDirectory("sf-remote");
    clock = new MutableClock(Instant.now());
    store = PlatformSecretStore.builder()
        .jdbcUrl(PlatformSecretStore.h2FileUrl(dir.resolve("store")))
        .masterKey(MasterKey.generate()).clock(clock).build();
    worker = ServiceTokens.generateWorkerKey("worker-acme");
    globexWorker = ServiceTokens.generateWorkerKey("worker-globex");
    server = PlatformHttpServer.builder(store).port(0).audience(AUD)
        .tls(ServerTls.selfSigned(dir.resolve("tls")))
        .trustWorker(new TrustedWorker(worker, Set.of("acme")))
        .trustWorker(new TrustedWorker(globexWorker, Set.of("globex")))
        .build().start();
    workerKeyFile = dir.resolve("worker.jwk");
    Files.writeString(workerKeyFile, worker.toJSONString());
    globexKeyFile = dir.resolve("globex.jwk");
    Files.writeString(globexKeyFile, globexWorker.toJSONString());
    stub = new Stub(ServerTls.selfSigned(dir.resolve("stub-tls")));
  }

  @AfterAll
  static void stop() {
    try {
      String logText = logs.text();
      for (String c : canaries) {
        assertThat(logText).as("log lines").doesNotContain(c);
        for (String m : messages) {
          assertThat(m).as("exception messages and toString").doesNotContain(c);
        }
      }
      assertThat(logText).doesNotContain(worker.getD().toString());
    } finally {
      logs.close();
      stub.close();
      server.close();
      store.close();
    }
  }

  static Map<String, String> settings(String... extra) {
    Map<String, String> m = new HashMap<>();
    m.put("mode", "remote");
    m.put("url", "https://localhost:" + server.port());
    m.put("audience", AUD);
    m.put("worker-key-file", workerKeyFile.toString());
    m.put("server-certificate-sha256", server.certificateSha256());
    m.put("retry.initial-backoff", "PT0.001S");
    m.put("retry.max-backoff", "PT0.002S");
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i + 1] == null) {
        m.remove(extra[i]);
      } else {
        m.put(extra[i], extra[i + 1]);
      }
    }
    return m;
  }

  static RemotePlatformProvider provider(String... extra) {
    SecretProvider p = new PlatformSecretProviderFactory()
        .create(ProviderConfig.of("platform", settings(extra)), null);
    messages.add(p.toString());
    return (RemotePlatformProvider) p;
  }

  static SecretException failure(Runnable r) {
    SecretException e = catchThrowableOfType(SecretException.class, r::run);
    assertThat(e).as("a SecretException").isNotNull();
    messages.add(e.getMessage());
    messages.add(e.toString());
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      messages.add(String.valueOf(c.getMessage()));
    }
    return e;
  }

  static String create(String name, String value) {
    store.create(ACME, NewSecret.builder(name).value(value).build());
    return value;
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void fetchesTheActiveAndAPinnedVersionOverHttpsWithATokenForTheContext() {
    String v1 = create("app/db", "{\"password\":\"" + canary() + "\"}");
    String v2 = canary();
    store.rotate(ACME, "app/db", Rotation.builder().value("{\"password\":\"" + v2 + "\"}").build());
    try (RemotePlatformProvider p = provider()) {
      assertThat(p.toString()).contains("mode=remote");
      try (SecretValue active = p.fetch(SecretRef.parse("platform:app/db"), ACME);
          SecretValue pinned = p.fetch(SecretRef.parse("platform:app/db@1#password"), ACME)) {
        assertThat(active.reveal()).contains(v2);
        assertThat(active.version()).isEqualTo("2");
        assertThat(pinned.reveal()).isEqualTo(v1);
        assertThat(pinned.version()).isEqualTo("1");
        assertThat(pinned.ref()).isEqualTo(SecretRef.parse("platform:app/db@1"));
        messages.add(active.toString());
      }
    }
    // The server audited the read with the token's process instance and activity.
    assertThat(store.audit().query(AuditQuery.forTenant("acme").secret("app/db")
        .action(AuditAction.READ_VALUE)))
        .anySatisfy(e -> {
          assertThat(e.actor()).isEqualTo("worker-acme");
          assertThat(e.processInstanceId()).isEqualTo("pi-7");
          assertThat(e.activityId()).isEqualTo("task-7");
        });
  }

  @Test
  void isFoundByServiceLoaderWithModeRemoteAndTheResolverSelectsJsonFields() {
    String pw = canary();
    create("svc/api", "{\"user\":\"svc\",\"password\":\"" + pw + "\"}");
    try (SecretResolver resolver = SecretResolver.builder()
        .provider(new ProviderConfig("platform", "platform", settings()))
        .defaultProvider("platform").build();
        SecretValue v = resolver.resolve("platform:svc/api#password", ACME)) {
      assertThat(resolver.provider("platform")).get()
          .isInstanceOf(RemotePlatformProvider.class);
      assertThat(v.reveal()).isEqualTo(pw);
      messages.add(resolver.toString());
    }
  }

  @Test
  void aWorkerTokenForOneTenantCannotReadAnother() {
    create("iso/only-acme", canary());
    try (RemotePlatformProvider acmeWorker = provider();
        RemotePlatformProvider globex = provider("worker-key-file", globexKeyFile.toString())) {
      // The acme worker may not claim tenant globex: 403, refused before any lookup.
      SecretException e = failure(() -> acmeWorker.fetch(SecretRef.parse("platform:iso/only-acme"),
          GLOBEX));
      assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
      assertThat(e.remedy()).contains("worker-acme").contains("'globex'");
      // The globex worker acting in globex does not see acme's secret.
      SecretException nf = failure(() -> globex.fetch(SecretRef.parse("platform:iso/only-acme"),
          GLOBEX));
      assertThat(nf.error()).isEqualTo(SecretError.NOT_FOUND);
      assertThat(globex.list("iso/", GLOBEX)).isEmpty();
      assertThat(globex.check(List.of(SecretRef.parse("platform:iso/only-acme")), GLOBEX)
          .values()).allSatisfy(c -> assertThat(c.error()).isEqualTo(SecretError.NOT_FOUND));
    }
  }

  @Test
  void theServersProblemsMapBackOntoSecretErrors() {
    create("err/live", canary());
    create("err/deleted", canary());
    store.delete(ACME, "err/deleted");
    store.create(ACME, NewSecret.builder("err/expiring").value(canary())
        .expiresAt(clock.instant().plus(Duration.ofHours(1))).build());
    clock.advance(Duration.ofHours(2));
    try (RemotePlatformProvider p = provider()) {
      assertThat(failure(() -> p.fetch(SecretRef.parse("platform:err/none"), ACME)).error())
          .isEqualTo(SecretError.NOT_FOUND);
      assertThat(failure(() -> p.fetch(SecretRef.parse("platform:err/live@9"), ACME)).error())
          .isEqualTo(SecretError.VERSION_NOT_FOUND);
      assertThat(failure(() -> p.fetch(SecretRef.parse("platform:err/deleted"), ACME)).error())
          .isEqualTo(SecretError.DELETED);
      SecretException expired =
          failure(() -> p.fetch(SecretRef.parse("platform:err/expiring"), ACME));
      assertThat(expired.error()).isEqualTo(SecretError.EXPIRED);
      assertThat(expired.ref()).isEqualTo(SecretRef.parse("platform:err/expiring"));
      assertThat(failure(() -> p.fetch(SecretRef.parse("platform:err/live@x"), ACME)).error())
          .isEqualTo(SecretError.INVALID_REFERENCE);
    }
    // 401: a key the server does not trust, and a wrong audience; never retried.
    ECKey stranger = ServiceTokens.generateWorkerKey("stranger");
    try (RemotePlatformProvider p = provider("worker-key-file", null,
        "worker-key-env", "PATH")) {
      throw new AssertionError("PATH is not a JWK: " + p);
    } catch (SecretException e) {
      messages.add(e.getMessage());
      assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
      assertThat(e.getMessage()).contains("worker-key-env").contains("not an EC JWK");
    }
    Path strangerFile = dir.resolve("stranger.jwk");
    try {
      Files.writeString(strangerFile, stranger.toJSONString());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    try (RemotePlatformProvider untrusted = provider("worker-key-file", strangerFile.toString());
        RemotePlatformProvider wrongAudience = provider("audience", "https://elsewhere")) {
      SecretException u = failure(() -> untrusted.fetch(SecretRef.parse("platform:err/live"), ACME));
      assertThat(u.error()).isEqualTo(SecretError.ACCESS_DENIED);
      assertThat(u.remedy()).contains("stranger").contains("audience");
      assertThat(failure(() -> wrongAudience.fetch(SecretRef.parse("platform:err/live"), ACME))
          .error()).isEqualTo(SecretError.ACCESS_DENIED);
    }
  }

  @Test
  void statusesTheRealServerCannotBeMadeToGiveMapToo() {
    record Case(int status, String problem, SecretError expected, int attempts) {}
    List<Case> cases = List.of(
        new Case(500, "{\"type\":\"x/decryption-failed\",\"status\":500,"
            + "\"error\":\"DECRYPTION_FAILED\"}", SecretError.DECRYPTION_FAILED, 1),
        new Case(409, "{\"status\":409,\"error\":\"CONFLICT\",\"detail\":\"raced\"}",
            SecretError.CONFLICT, 1),
        new Case(413, "{\"status\":413,\"type\":\"x/too-large\"}", SecretError.INVALID_INPUT, 1),
        new Case(404, "{\"status\":404,\"type\":\"x/no-route\"}", SecretError.CONFIGURATION, 1),
        new Case(429, "{\"status\":429,\"error\":\"THROTTLED\"}", SecretError.THROTTLED, 3),
        new Case(503, "{\"status\":503,\"error\":\"PROVIDER_UNAVAILABLE\"}",
            SecretError.PROVIDER_UNAVAILABLE, 3),
        // A body that is not a problem (a proxy's page holding a value) is never quoted.
        new Case(502, "<html>" + canary() + "</html>", SecretError.PROVIDER_UNAVAILABLE, 3));
    try (RemotePlatformProvider p = stubProvider()) {
      for (Case c : cases) {
        stub.reset();
        for (int i = 0; i < 3; i++) {
          stub.answers.add(new Answer(c.status(), c.problem().startsWith("{")
              ? "application/problem+json" : "text/html", c.problem()));
        }
        SecretException e = failure(() -> p.fetch(SecretRef.parse("platform:x"), ACME));
        assertThat(e.error()).as("status %s", c.status()).isEqualTo(c.expected());
        assertThat(stub.requests()).as("attempts for %s", c.status()).isEqualTo(c.attempts());
      }
    }
  }

  @Test
  void aValueAnswerWithAKeyTwiceIsRefusedNeverLastOneWins() {
    String first = canary();
    String second = canary();
    try (RemotePlatformProvider p = stubProvider()) {
      stub.reset();
      stub.answers.add(new Answer(200, "application/json", "{\"name\":\"x\",\"version\":3,"
          + "\"value\":\"" + first + "\",\"value\":\"" + second + "\"}"));
      SecretException e = failure(() -> p.fetch(SecretRef.parse("platform:x"), ACME));
      assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
      assertThat(e.getMessage()).contains("not the expected JSON").doesNotContain(first)
          .doesNotContain(second);
      assertThat(stub.requests()).isEqualTo(1);
    }
  }

  @Test
  void retriesA503WithANewTokenAndReusesTheConnection() throws Exception {
    String value = canary();
    stub.reset();
    stub.answers.add(new Answer(503, "application/problem+json",
        "{\"status\":503,\"error\":\"PROVIDER_UNAVAILABLE\"}"));
    stub.answers.add(valueAnswer(value));
    stub.answers.add(valueAnswer(value));
    stub.answers.add(valueAnswer(value));
    try (RemotePlatformProvider p = stubProvider()) {
      for (int i = 0; i < 3; i++) {
        try (SecretValue v = p.fetch(SecretRef.parse("platform:x"), ACME)) {
          assertThat(v.reveal()).isEqualTo(value);
        }
      }
    }
    assertThat(stub.requests()).isEqualTo(4);
    Set<String> jtis = new LinkedHashSet<>();
    for (String auth : stub.authorizations) {
      SignedJWT jwt = SignedJWT.parse(auth.substring("Bearer ".length()));
      jtis.add(jwt.getJWTClaimsSet().getJWTID());
      assertThat(jwt.getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("acme");
      assertThat(jwt.getJWTClaimsSet().getStringClaim("pid")).isEqualTo("pi-7");
      assertThat(jwt.getHeader().getKeyID()).isEqualTo("worker-acme");
    }
    assertThat(jtis).as("one token per attempt").hasSize(4);
    // Four requests, one TLS connection: the client port never changed.
    assertThat(new LinkedHashSet<>(stub.clientPorts)).hasSize(1);
  }

  @Test
  void aServerWithAnotherCertificateIsRefusedBeforeAnyRequest() {
    stub.reset();
    try (RemotePlatformProvider p = provider("url", "https://localhost:" + stub.port())) {
      SecretException e = failure(() -> p.fetch(SecretRef.parse("platform:x"), ACME));
      assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
      assertThat(e.getMessage()).contains(server.certificateSha256())
          .contains(stub.tls.fingerprintSha256());
      assertThat(failure(() -> p.list("", ACME)).error()).isEqualTo(SecretError.CONFIGURATION);
    }
    assertThat(stub.requests()).as("nothing sent").isZero();
  }

  @Test
  void checkAndListGoToTheServerAndReadNoValue() {
    create("chk/a", canary());
    create("chk/b", canary());
    long reads = store.audit().query(AuditQuery.forTenant("acme").action(AuditAction.READ_VALUE))
        .size();
    try (RemotePlatformProvider p = provider()) {
      SecretRef a = SecretRef.parse("platform:chk/a");
      SecretRef aField = SecretRef.parse("platform:chk/a#x");
      SecretRef missing = SecretRef.parse("platform:chk/none");
      SecretRef badVersion = SecretRef.parse("platform:chk/b@5");
      Map<SecretRef, SecretCheck> r = p.check(List.of(a, aField, missing, badVersion), ACME);
      assertThat(r.keySet()).containsExactly(a, aField, missing, badVersion);
      assertThat(r.get(a).isOk()).isTrue();
      assertThat(r.get(aField).isOk()).isTrue();
      assertThat(r.get(missing).error()).isEqualTo(SecretError.NOT_FOUND);
      assertThat(r.get(badVersion).error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
      r.values().forEach(c -> messages.add(c.toString()));
      List<SecretSummary> listed = p.list("chk/", ACME);
      assertThat(listed).extracting(SecretSummary::name).containsExactly("chk/a", "chk/b");
      assertThat(listed.get(0).attributes()).containsEntry("version", "1");
      listed.forEach(s -> messages.add(s.toString()));
    }
    assertThat(store.audit().query(AuditQuery.forTenant("acme").action(AuditAction.READ_VALUE)))
        .hasSize((int) reads);
  }

  @Test
  void settingsAreCheckedAndNamed() {
    record Bad(String[] settings, String says) {}
    List<Bad> bad = List.of(
        new Bad(new String[] {"url", null}, "'url'"),
        new Bad(new String[] {"url", "http://localhost:1"}, "https"),
        new Bad(new String[] {"urll", "x"}, "[urll]"),
        new Bad(new String[] {"data-dir", "x"}, "mode=local"),
        new Bad(new String[] {"worker-key-env", "X"}, "exactly one"),
        new Bad(new String[] {"worker-key-file", null}, "worker-key-file"),
        new Bad(new String[] {"worker-key-id", "other"}, "worker-key-id"),
        new Bad(new String[] {"server-certificate-sha256", "abc"}, "server-certificate-sha256"),
        new Bad(new String[] {"retry.max-attempts", "0"}, "retry.max-attempts"),
        new Bad(new String[] {"token-lifetime", "PT6M"}, "token-lifetime"),
        new Bad(new String[] {"mode", "cloud"}, "remote"));
    for (Bad b : bad) {
      SecretException e = catchThrowableOfType(SecretException.class,
          () -> new PlatformSecretProviderFactory()
              .create(ProviderConfig.of("platform", settings(b.settings())), null));
      assertThat(e).as(String.join(" ", java.util.Arrays.asList(b.settings()).toString()))
          .isNotNull();
      messages.add(e.getMessage());
      assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
      assertThat(e.getMessage()).contains(b.says());
    }
    // A local provider refuses remote settings.
    SecretException local = catchThrowableOfType(SecretException.class,
        () -> new PlatformSecretProviderFactory().create(ProviderConfig.of("platform",
            Map.of("data-dir", dir.resolve("local").toString(), "url", "https://x")), null));
    assertThat(local.getMessage()).contains("'url'".replace("'", "")).contains("mode=remote");
  }

  @Test
  void theHttpClientIsBuiltOnceAndNothingPrintsTheKey() {
    try (RemotePlatformProvider p = provider()) {
      assertThat(p.toString()).contains("mode=remote").doesNotContain(worker.getD().toString());
    }
    RemoteClient c = new RemoteClient(RemoteSettingsParser.parse(
        ProviderConfig.of("platform", settings()), null), java.time.Clock.systemUTC());
    java.net.http.HttpClient first = c.httpClient();
    create("reuse/x", canary());
    try (SecretValue v = c.fetch(SecretRef.parse("platform:reuse/x"), ACME);
        SecretValue w = c.fetch(SecretRef.parse("platform:reuse/x"), ACME)) {
      assertThat(v.equalsSecret(w)).isTrue();
    }
    assertThat(c.httpClient()).isSameAs(first);
    assertThat(c.toString()).doesNotContain(worker.getD().toString());
    c.close();
  }

  // ---------------------------------------------------------------------------------------------

  static RemotePlatformProvider stubProvider() {
    return provider("url", "https://localhost:" + stub.port(),
        "server-certificate-sha256", stub.tls.fingerprintSha256());
  }

  static Answer valueAnswer(String value) {
    return new Answer(200, "application/json", "{\"name\":\"x\",\"version\":3,"
        + "\"expires_at\":null,\"value\":\"" + value + "\",\"encoding\":\"utf-8\"}");
  }

  record Answer(int status, String contentType, String body) {}

  /** A JDK HTTPS server with a certificate of its own that answers from a queue. */
  static final class Stub implements AutoCloseable {
    final ServerTls tls;
    final HttpsServer server;
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Integer> clientPorts = new ConcurrentLinkedQueue<>();

    Stub(ServerTls tls) throws Exception {
      this.tls = tls;
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(tls.keyStore(), tls.password());
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(ssl));
      server.createContext("/", ex -> {
        ex.getRequestBody().readAllBytes();
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        clientPorts.add(ex.getRemoteAddress().getPort());
        Answer a = answers.poll();
        if (a == null) {
          a = new Answer(500, "text/plain", "no answer queued");
        }
        byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), b.length);
        ex.getResponseBody().write(b);
        ex.close();
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    int requests() {
      return authorizations.size();
    }

    void reset() {
      answers.clear();
      authorizations.clear();
      clientPorts.clear();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
