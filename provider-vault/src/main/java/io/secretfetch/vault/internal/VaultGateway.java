package io.secretfetch.vault.internal;

import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.VaultResponse;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The one place that calls vault-java-driver. Every call goes through the driver with its own
 * retries off ({@code withRetries(0, 0)}: its retry loop sleeps a fixed interval and swallows
 * interrupts); retries, backoff and interrupts are handled by the caller.
 *
 * <p>The driver answers most 4xx statuses with a response, and 5xx, 412 and transport failures
 * with a {@link VaultException} whose message contains the response body. This class turns both
 * into a {@link Reply} (status and body) or a {@link TransportFailure}, and never passes the
 * driver's exception or message on.
 *
 * <p>Paths given here are logical Vault paths, unencoded ({@code secret/team a/api}); each segment
 * is percent-encoded for the driver, which builds its URLs by string concatenation.
 */
final class VaultGateway {
  private final String address;
  private final HttpClient http;
  private final ControlledEnvironment environment;
  private final SslConfig sslConfig;
  private final int openTimeoutSeconds;
  private final int readTimeoutSeconds;
  private final Map<Key, Vault> instances = new ConcurrentHashMap<>();

  /** Driver instances are cheap but log at INFO when built with a namespace: keep them. */
  private record Key(long generation, String namespace, int engine, int depth) {}

  VaultGateway(
      URI address, SSLContext sslContext, Duration connectTimeout, Duration readTimeout,
      ControlledEnvironment environment) throws VaultException {
    this.address = address.toString();
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // Vault agent and some proxies mishandle h2c; the driver also sticks to HTTP/1.1.
            .version(HttpClient.Version.HTTP_1_1)
            // A standby's 307 would carry the token to another host: report it instead.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.http = new JsonContentTypeHttpClient(builder.build());
    this.environment = environment;
    // SslConfig.environmentLoader(..) is not public: let VaultConfig build the SslConfig with our
    // loader (so it cannot read VAULT_SSL_* from the process), then reuse it. Our HttpClient
    // carries the real TLS context; the driver only asks this object whether to verify.
    this.sslConfig = new VaultConfig().environmentLoader(environment).address(this.address)
        .build().getSslConfig();
    this.openTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        divideUp(connectTimeout)));
    this.readTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        divideUp(readTimeout)));
  }

  private static long divideUp(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /** A GET of a logical path, e.g. {@code secret/metadata/app} or {@code sys/mounts}. */
  Reply read(TokenSession session, String namespace, String path)
      throws TransportFailure, InterruptedException {
    return call(() -> vault(session, namespace, 1, 1).logical().read(VaultPaths.encode(path)));
  }

  /** A KV v2 read of {@code rest} under {@code mount}: the current or the given version. */
  Reply readKv2(TokenSession session, String namespace, KvMount mount, String rest,
      Integer version) throws TransportFailure, InterruptedException {
    String path = VaultPaths.encode(mount.path() + "/" + rest);
    return call(() -> {
      Vault v = vault(session, namespace, 2, mount.depth());
      return version == null ? v.logical().read(path) : v.logical().read(path, true, version);
    });
  }

  /** A LIST of the folder {@code dir} (empty for the mount's root, else ending in '/'). */
  Reply list(TokenSession session, String namespace, KvMount mount, String dir)
      throws TransportFailure, InterruptedException {
    String folder = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    String path = VaultPaths.encode(mount.path() + (folder.isEmpty() ? "" : "/" + folder)) + "/";
    return call(() -> {
      VaultResponse r = vault(session, namespace, mount.version(), mount.depth()).logical()
          .list(path);
      // The driver returns null when it swallowed a 404 raised as an exception.
      return r != null ? r : new VaultResponse(new RestResponse(404, "", new byte[0]), 0);
    });
  }

  Reply loginAppRole(String namespace, String mount, String roleId, String secretId)
      throws TransportFailure, InterruptedException {
    return call(() -> vault(null, namespace, 1, 1).auth()
        .loginByAppRole(VaultPaths.encode(mount), roleId, secretId));
  }

  Reply renewSelf(TokenSession session, String namespace, long increment)
      throws TransportFailure, InterruptedException {
    return call(() -> vault(session, namespace, 1, 1).auth().renewSelf(increment));
  }

  Reply lookupSelf(TokenSession session, String namespace)
      throws TransportFailure, InterruptedException {
    return call(() -> vault(session, namespace, 1, 1).auth().lookupSelf());
  }

  /** Forgets driver instances built for tokens older than {@code generation}. */
  void retire(long generation) {
    instances.keySet().removeIf(k -> k.generation() != 0 && k.generation() < generation);
  }

  String address() {
    return address;
  }

  private Vault vault(TokenSession session, String namespace, int engine, int depth)
      throws VaultException {
    long generation = session == null ? 0 : session.generation();
    Key key = new Key(generation, namespace, engine, depth);
    Vault existing = instances.get(key);
    if (existing != null) {
      return existing;
    }
    VaultConfig config =
        new VaultConfig()
            .environmentLoader(environment)
            .address(address)
            .sslConfig(sslConfig)
            .httpClient(http)
            .openTimeout(openTimeoutSeconds)
            .readTimeout(readTimeoutSeconds)
            .prefixPathDepth(depth);
    if (session != null) {
      config.token(session.token().reveal());
    }
    if (namespace != null) {
      config.nameSpace(namespace);
    }
    Vault v = Vault.create(config.build(), engine).withRetries(0, 0);
    instances.putIfAbsent(key, v);
    return v;
  }

  @FunctionalInterface
  private interface DriverCall {
    VaultResponse run() throws VaultException;
  }

  private Reply call(DriverCall call) throws TransportFailure, InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("interrupted before calling Vault");
    }
    try {
      VaultResponse response = call.run();
      RestResponse rest = response.getRestResponse();
      return new Reply(rest.getStatus(), rest.getBody());
    } catch (VaultException e) {
      Throwable interrupted = find(e, InterruptedException.class);
      if (interrupted != null || Thread.currentThread().isInterrupted()) {
        InterruptedException ie = new InterruptedException("interrupted while calling Vault");
        throw ie;
      }
      if (e.getHttpStatusCode() > 0) {
        return Reply.status(e.getHttpStatusCode());
      }
      Throwable root = root(e);
      String kind = root == e ? "an unreadable response" : root.getClass().getSimpleName();
      throw new TransportFailure(
          "could not talk to Vault at " + address + " (" + kind + ")", root == e ? null : root);
    } catch (RuntimeException e) {
      throw new TransportFailure(
          "could not talk to Vault at " + address + " (" + e.getClass().getSimpleName() + ")",
          null);
    }
  }

  private static Throwable find(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  /** The outermost cause that is not one of the driver's own exceptions, or {@code e}. */
  private static Throwable root(VaultException e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (!c.getClass().getName().startsWith("io.github.jopenlibs.")) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return e;
  }

}
