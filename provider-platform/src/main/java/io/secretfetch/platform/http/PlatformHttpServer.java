package io.secretfetch.platform.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.auth.Credentials;
import io.secretfetch.platform.auth.ServiceTokenVerifier;
import io.secretfetch.platform.auth.TrustedWorker;
import io.secretfetch.platform.http.internal.Api;
import io.secretfetch.platform.http.internal.ApiProblem;
import io.secretfetch.platform.http.internal.Calls;
import io.secretfetch.platform.http.internal.MethodGuard;
import io.secretfetch.platform.http.internal.Route;
import io.secretfetch.platform.http.internal.SecureErrorHandler;
import io.secretfetch.platform.http.internal.SecurityHeaders;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform secret service over HTTPS ({@code /api/v1}, Javalin on Jetty): the store's REST API
 * for people and tools (API keys with scopes) and the value endpoint for workers (signed
 * short-lived service tokens only). TLS only: there is no plaintext listener. Every response,
 * Jetty's own error answers included, carries HSTS, {@code Cache-Control: no-store} and {@code
 * nosniff} ({@link SecurityHeaders}); each path answers its documented methods only (405 with
 * {@code Allow} otherwise, method overrides refused: {@link MethodGuard}); a JSON key given twice
 * is refused. Errors are {@code application/problem+json}. The OpenAPI 3.1 document is served at
 * {@code /api/v1/openapi.json}.
 *
 * <pre>{@code
 * try (PlatformHttpServer server = PlatformHttpServer.builder(store)
 *     .tls(ServerTls.selfSigned(dataDir)).port(8443)
 *     .audience("https://secrets.example:8443")
 *     .trustWorker(new TrustedWorker(workerPublicJwk, Set.of("acme")))
 *     .build().start()) { ... }
 * }</pre>
 */
public final class PlatformHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlatformHttpServer.class);

  /** The default request body limit (a value is at most 64 KiB; JSON escaping can double it). */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
  /** HSTS max-age: one year. */
  public static final long HSTS_MAX_AGE_SECONDS = SecurityHeaders.HSTS_MAX_AGE_SECONDS;
  static final String OPENAPI_RESOURCE = "/openapi/platform-api.json";

  private final Builder b;
  private final List<Route> routes;
  private final Javalin app;
  private ServerConnector connector;

  private PlatformHttpServer(Builder b) {
    this.b = b;
    // Duplicate keys are refused (400 naming the key), never "last one wins".
    ObjectMapper json = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
    Credentials credentials = b.store.credentials();
    ServiceTokenVerifier verifier =
        new ServiceTokenVerifier(b.audience, b.workers, credentials, b.clock);
    Calls calls = new Calls(json, credentials, verifier, b.maxRequestBytes);
    Api api = new Api(b.store, openApiDocument(), calls::writeJson);
    this.routes = api.routes();
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = b.maxRequestBytes;
      // Jetty answers malformed requests itself, before Javalin: with the same headers.
      config.jetty.modifyServer(server -> server.setErrorHandler(new SecureErrorHandler()));
      config.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new SecureErrorHandler()));
      config.jetty.addConnector((server, httpConfig) -> {
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        https.setSendServerVersion(false);
        https.setSendXPoweredBy(false);
        https.setRequestHeaderSize(16 * 1024);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        https.addCustomizer(new SecurityHeaders());   // HSTS too, on every response
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(b.tls.keyStore());
        ssl.setKeyStorePassword(new String(b.tls.password()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ServerConnector c = new ServerConnector(server,
            new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(b.host);
        c.setPort(b.port);
        this.connector = c;
        return c;
      });
    });
    MethodGuard methods = new MethodGuard(() -> app.unsafeConfig().pvt.internalRouter);
    app.before(methods);
    for (Route r : routes) {
      app.addHttpHandler(r.method(), r.path(), ctx -> calls.handle(ctx, r));
    }
    b.extraRoutes.forEach(extra -> extra.accept(app));
    app.exception(ApiProblem.class, (e, ctx) -> calls.writeProblem(ctx, e));
    app.exception(SecretException.class, (e, ctx) -> calls.writeProblem(ctx, ApiProblem.of(e, false)));
    app.exception(HttpResponseException.class, (e, ctx) -> calls.writeProblem(ctx,
        e.getStatus() == 413 ? ApiProblem.tooLarge(b.maxRequestBytes)
            : new ApiProblem(e.getStatus(), e.getStatus() == 404 ? "no-route" : "http-error",
                e.getStatus() == 404 ? "Not found" : "HTTP error", null)));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("Unexpected failure handling {} {} ({})", ctx.method(), ctx.endpointHandlerPath(),
          e.getClass().getName(), e);
      calls.writeProblem(ctx, new ApiProblem(500, "internal", "Internal error", null));
    });
    app.error(404, ctx -> {
      if (!Calls.answered(ctx)) {
        calls.writeProblem(ctx, new ApiProblem(404, "no-route", "Not found",
            "no route " + ctx.method() + " " + Calls.safePath(ctx)));
      }
    });
    app.error(405, ctx -> {
      if (!Calls.answered(ctx)) {
        calls.writeProblem(ctx, new ApiProblem(405, "method-not-allowed", "Method not allowed",
            null));
      }
    });
  }

  public static Builder builder(PlatformSecretStore store) {
    return new Builder(store);
  }

  /** Binds and starts serving; logs the port and the certificate fingerprint. */
  public PlatformHttpServer start() {
    app.start();
    log.info("Platform secret API listening on https://{}:{}/api/v1 (TLS only), certificate"
        + " SHA-256 {}", b.host, port(), b.tls.fingerprintSha256());
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The server certificate's SHA-256 fingerprint, for clients to pin. */
  public String certificateSha256() {
    return b.tls.fingerprintSha256();
  }

  public ServerTls tls() {
    return b.tls;
  }

  /** The routes served, as method and OpenAPI path, e.g. {@code GET /api/v1/secrets/{name}}. */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(r.method().name() + " " + r.openApiPath());
    }
    return out;
  }

  @Override
  public void close() {
    app.stop();
  }

  @Override
  public String toString() {
    return "PlatformHttpServer[https://" + b.host + ":" + (connector == null ? b.port : port())
        + ", " + b.tls + "]";
  }

  private static byte[] openApiDocument() {
    try (InputStream in = PlatformHttpServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE
            + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the OpenAPI document", e);
    }
  }

  public static final class Builder {
    private final PlatformSecretStore store;
    private ServerTls tls;
    private String host = "127.0.0.1";
    private int port = 8443;
    private String audience;
    private final List<TrustedWorker> workers = new ArrayList<>();
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Clock clock = Clock.systemUTC();
    private final List<Consumer<Javalin>> extraRoutes = new ArrayList<>();

    private Builder(PlatformSecretStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
    }

    /** Required: the TLS identity. */
    public Builder tls(ServerTls t) {
      this.tls = Objects.requireNonNull(t, "tls == null");
      return this;
    }

    /** The interface to bind; default {@code 127.0.0.1}. */
    public Builder host(String h) {
      this.host = Objects.requireNonNull(h, "host == null");
      return this;
    }

    /** The port; default 8443, 0 for any free port. */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535 but was " + p);
      }
      this.port = p;
      return this;
    }

    /** Required: the {@code aud} service tokens must carry, e.g. the server's base URL. */
    public Builder audience(String aud) {
      this.audience = Objects.requireNonNull(aud, "audience == null");
      return this;
    }

    /** Accept service tokens signed by this worker key. */
    public Builder trustWorker(TrustedWorker worker) {
      workers.add(Objects.requireNonNull(worker, "worker == null"));
      return this;
    }

    /** Larger request bodies are refused with 413. */
    public Builder maxRequestBytes(int max) {
      if (max < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1024 but was " + max);
      }
      this.maxRequestBytes = max;
      return this;
    }

    /**
     * Routes of the host application served on the same TLS listener (e.g. the app's webhooks and
     * health check). They share the TLS identity, body limit and {@code problem+json} error
     * handling, and get none of the API's authentication: they authenticate themselves. Paths
     * must stay outside {@code /api/v1}.
     */
    public Builder routes(Consumer<Javalin> extra) {
      extraRoutes.add(Objects.requireNonNull(extra, "extra == null"));
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock == null");
      return this;
    }

    public PlatformHttpServer build() {
      if (tls == null) {
        throw new IllegalStateException("tls == null: call tls(ServerTls.keyStore(...)) or"
            + " tls(ServerTls.selfSigned(dataDir)); there is no plaintext listener");
      }
      if (audience == null) {
        throw new IllegalStateException("audience == null: call audience(...) with the value"
            + " workers put in their service tokens' aud claim");
      }
      return new PlatformHttpServer(this);
    }
  }
}
