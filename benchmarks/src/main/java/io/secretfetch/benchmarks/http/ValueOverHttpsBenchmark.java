package io.secretfetch.benchmarks.http;

import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.PlatformHttpServer;
import io.secretfetch.platform.http.ServerTls;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /api/v1/secrets/{name}/value} over HTTPS on loopback with 64 concurrent clients: a
 * fresh ES256 service token per request (minted by the client, verified and its jti recorded by
 * the server), the value read from the embedded H2 store, and its audit event committed before
 * the answer. Client and server share this JVM and its cores. Throughput gives requests/s,
 * sample time p50/p99.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(64)
@State(Scope.Benchmark)
public class ValueOverHttpsBenchmark {
  private static final int SECRETS = 100;
  private static final String AUD = "https://bench.local";

  private Path dir;
  private PlatformSecretStore store;
  private PlatformHttpServer server;
  private HttpClient client;
  private ECKey worker;
  private String base;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("sf-bench-http");
    store = PlatformSecretStore.embedded(dir);
    SecretContext ops = new SecretContext("acme", "ops", null, null);
    for (int i = 0; i < SECRETS; i++) {
      store.create(ops, NewSecret.builder("bench/s" + i).value("value-" + i).build());
    }
    worker = ServiceTokens.generateWorkerKey("bench-worker");
    server = PlatformHttpServer.builder(store).port(0).audience(AUD)
        .tls(ServerTls.selfSigned(dir)).trustWorker(new TrustedWorker(worker, Set.of("acme")))
        .build().start();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", server.tls().certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
    base = "https://localhost:" + server.port() + "/api/v1/secrets/bench/s";
  }

  @TearDown
  public void tearDown() throws Exception {
    server.close();
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public int valueOverHttps() throws Exception {
    String token = ServiceTokens.mint(worker, "bench-worker", AUD, "acme", null, null,
        Instant.now(), Duration.ofMinutes(1));
    int i = ThreadLocalRandom.current().nextInt(SECRETS);
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + i + "/value"))
        .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status " + r.statusCode());
    }
    return r.body().length;
  }
}
