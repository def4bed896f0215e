package io.secretfetch.vault.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A loopback server that speaks the parts of Vault's HTTP API the provider uses, the way Vault
 * does: {@code X-Vault-Token} and {@code X-Vault-Namespace} headers, {@code {"errors": [...]}}
 * bodies, KV v2 {@code data.data}/{@code data.metadata} and a 404 carrying the metadata of a
 * deleted or destroyed version, {@code LIST} as a method or {@code ?list=true}, AppRole login and
 * token {@code renew-self}/{@code lookup-self}, {@code sys/internal/ui/mounts} and {@code
 * sys/mounts}, a sealed state (503). AppRole login and {@code renew-self} accept only {@code
 * Content-Type: application/json}. Time comes from the given clock, so tests expire tokens by
 * moving it.
 */
public final class FakeVault implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "";

  /** One request as received. */
  public record Request(String method, String path, String query, String token, String namespace,
      String contentType) {}

  private static final class Version {
    final Map<String, Object> data;
    final Instant created;
    Instant deletedAt;
    boolean destroyed;

    Version(Map<String, Object> data, Instant created) {
      this.data = data;
      this.created = created;
    }
  }

  private static final class Secret {
    final List<Version> versions = new ArrayList<>();
    int oldest = 1;
  }

  private static final class Mount {
    final int version;
    final Map<String, Secret> secrets = new TreeMap<>();

    Mount(int version) {
      this.version = version;
    }
  }

  private static final class Token {
    final String namespace;
    Instant expiresAt;
    final Instant maxExpiresAt;
    final long ttl;
    final boolean renewable;
    boolean revoked;

    Token(String namespace, Instant expiresAt, Instant maxExpiresAt, long ttl, boolean renewable) {
      this.namespace = namespace;
      this.expiresAt = expiresAt;
      this.maxExpiresAt = maxExpiresAt;
      this.ttl = ttl;
      this.renewable = renewable;
    }
  }

  private record Failure(Predicate<String> path, int status, String error) {}

  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Map<String, Mount>> namespaces = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> appRoles = new ConcurrentHashMap<>();
  private final Set<String> deniedPrefixes = ConcurrentHashMap.newKeySet();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile boolean sealed;
  private volatile boolean renewalsRefused;
  private volatile long appRoleTtl = 3600;
  private volatile long appRoleMaxTtl = 86400;
  private volatile Runnable beforeLogin = () -> {};
  private volatile Predicate<String> holdPath = p -> false;
  private volatile Runnable hold = () -> {};

  private FakeVault(Clock clock, HttpServer server) {
    this.clock = clock;
    this.server = server;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-vault");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    namespaces.put(ROOT, new ConcurrentHashMap<>());
  }

  /** A plain-HTTP server on a free loopback port. */
  public static FakeVault start(Clock clock) throws IOException {
    return new FakeVault(clock,
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** An HTTPS server; with {@code needClientAuth} it refuses clients without a trusted cert. */
  public static FakeVault startTls(Clock clock, SSLContext context, boolean needClientAuth)
      throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        var p = context.getDefaultSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        params.setSSLParameters(p);
      }
    });
    return new FakeVault(clock, s);
  }

  public String address() {
    boolean tls = server instanceof HttpsServer;
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  // --- state -----------------------------------------------------------------------------------

  public FakeVault mount(String path, int version) {
    return mount(ROOT, path, version);
  }

  public synchronized FakeVault mount(String namespace, String path, int version) {
    namespaces.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
        .put(trim(path), new Mount(version));
    return this;
  }

  /** Writes a new version (KV v2) or replaces the secret (KV v1); returns the version. */
  public int put(String path, Map<String, Object> data) {
    return put(ROOT, path, data);
  }

  public synchronized int put(String namespace, String path, Map<String, Object> data) {
    Located l = locate(namespace, path);
    Secret s = l.mount.secrets.computeIfAbsent(l.rest, r -> new Secret());
    if (l.mount.version == 1) {
      s.versions.clear();
    }
    s.versions.add(new Version(new LinkedHashMap<>(data), clock.instant()));
    return s.versions.size();
  }

  /** Soft-deletes a KV v2 version, as {@code vault kv delete -versions=N}. */
  public synchronized void deleteVersion(String path, int version) {
    secret(ROOT, path).versions.get(version - 1).deletedAt = clock.instant();
  }

  public synchronized void destroyVersion(String path, int version) {
    secret(ROOT, path).versions.get(version - 1).destroyed = true;
  }

  /** Every request to a path starting with {@code prefix} (no namespace) gets 403. */
  public void deny(String prefix) {
    deniedPrefixes.add(prefix);
  }

  public void sealed(boolean value) {
    sealed = value;
  }

  /** The next {@code count} requests whose path matches get {@code status}. */
  public synchronized void failNext(int count, Predicate<String> path, int status, String error) {
    for (int i = 0; i < count; i++) {
      failures.add(new Failure(path, status, error));
    }
  }

  public String issueToken(Duration ttl, Duration maxTtl, boolean renewable) {
    return issueToken(ROOT, ttl, maxTtl, renewable);
  }

  public String issueToken(String namespace, Duration ttl, Duration maxTtl, boolean renewable) {
    String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
    Instant now = clock.instant();
    tokens.put(token, new Token(namespace,
        ttl.isZero() ? null : now.plus(ttl), maxTtl.isZero() ? null : now.plus(maxTtl),
        ttl.toSeconds(), renewable));
    return token;
  }

  public void revokeAll() {
    tokens.values().forEach(t -> t.revoked = true);
  }

  public void appRole(String roleId, String secretId, Duration ttl, Duration maxTtl) {
    appRoles.put(roleId, secretId);
    appRoleTtl = ttl.toSeconds();
    appRoleMaxTtl = maxTtl.toSeconds();
  }

  public void refuseRenewals(boolean value) {
    renewalsRefused = value;
  }

  /** Runs before each AppRole login is answered (e.g. to wait on a latch). */
  public void beforeLogin(Runnable hook) {
    beforeLogin = hook;
  }

  /** Runs {@code hook} before answering requests whose path matches (e.g. to block). */
  public void hold(Predicate<String> path, Runnable hook) {
    hold = hook;
    holdPath = path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public int logins() {
    return logins.get();
  }

  public int renewals() {
    return renewals.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
      String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
      String contentType = ex.getRequestHeaders().getFirst("Content-Type");
      byte[] body = readAll(ex.getRequestBody());
      requests.add(new Request(ex.getRequestMethod(), path, query, token, ns, contentType));
      if (!path.startsWith("/v1/")) {
        send(ex, 404, errors());
        return;
      }
      String logical = path.substring(4);
      if (holdPath.test(logical)) {
        hold.run();
      }
      if (sealed) {
        send(ex, 503, errors("Vault is sealed"));
        return;
      }
      Failure f = nextFailure(logical);
      if (f != null) {
        send(ex, f.status, errors(f.error));
        return;
      }
      String namespace = ns == null ? ROOT : trim(ns);
      boolean list = "LIST".equals(ex.getRequestMethod())
          || (query != null && Set.of(query.split("&")).contains("list=true"));
      route(ex, ex.getRequestMethod(), logical, query, namespace, token, contentType, body, list);
    } catch (RuntimeException e) {
      send(ex, 500, errors("internal error: " + e.getClass().getSimpleName()));
    }
  }

  private void route(HttpExchange ex, String method, String logical, String query, String ns,
      String token, String contentType, byte[] body, boolean list) throws IOException {
    if (logical.startsWith("auth/") && logical.endsWith("/login") && method.equals("POST")) {
      if (!"application/json".equals(contentType)) {
        send(ex, 400, errors("unsupported Content-Type; use application/json"));
        return;
      }
      beforeLogin.run();
      JsonNode req = JSON.readTree(body);
      String roleId = req.path("role_id").asText("");
      String secretId = req.path("secret_id").asText("");
      if (!secretId.equals(appRoles.get(roleId)) || secretId.isEmpty()) {
        send(ex, 400, errors("invalid role or secret ID"));
        return;
      }
      logins.incrementAndGet();
      String t = issueToken(ns, Duration.ofSeconds(appRoleTtl), Duration.ofSeconds(appRoleMaxTtl),
          true);
      send(ex, 200, authReply(t, appRoleTtl, true));
      return;
    }
    Token tok = token == null ? null : tokens.get(token);
    boolean valid = tok != null && !tok.revoked
        && (tok.expiresAt == null || clock.instant().isBefore(tok.expiresAt))
        && (ns.equals(tok.namespace) || tok.namespace.isEmpty()
            || ns.startsWith(tok.namespace + "/"));
    if (!valid) {
      send(ex, 403, errors("permission denied"));
      return;
    }
    if (logical.equals("auth/token/renew-self") && method.equals("POST")) {
      if (!"application/json".equals(contentType)) {
        send(ex, 400, errors("unsupported Content-Type; use application/json"));
        return;
      }
      if (renewalsRefused || !tok.renewable) {
        send(ex, 403, errors("permission denied"));
        return;
      }
      long increment = body.length == 0 ? tok.ttl : JSON.readTree(body).path("increment")
          .asLong(tok.ttl);
      Instant now = clock.instant();
      Instant until = now.plusSeconds(increment);
      if (tok.maxExpiresAt != null && until.isAfter(tok.maxExpiresAt)) {
        until = tok.maxExpiresAt;
      }
      tok.expiresAt = until;
      renewals.incrementAndGet();
      send(ex, 200, authReply(token, Duration.between(now, until).toSeconds(), true));
      return;
    }
    if (logical.equals("auth/token/lookup-self") && method.equals("GET")) {
      ObjectNode data = JSON.createObjectNode();
      long ttl = tok.expiresAt == null ? 0
          : Duration.between(clock.instant(), tok.expiresAt).toSeconds();
      data.put("accessor", "acc").put("creation_time", clock.instant().getEpochSecond())
          .put("creation_ttl", tok.ttl).put("display_name", "token")
          .put("entity_id", "").putNull("expire_time").put("explicit_max_ttl", 0)
          .put("id", token).put("issue_time", clock.instant().toString()).putNull("meta")
          .put("num_uses", 0).put("orphan", true).put("path", "auth/token/create")
          .put("renewable", tok.renewable).put("ttl", ttl).put("type", "service");
      data.putArray("policies").add("default");
      send(ex, 200, envelope(data));
      return;
    }
    if (denied(logical)) {
      send(ex, 403, errors("1 error occurred:\n\t* permission denied\n\n"));
      return;
    }
    if (logical.startsWith("sys/internal/ui/mounts/") && method.equals("GET")) {
      String p = logical.substring("sys/internal/ui/mounts/".length());
      Located l = tryLocate(ns, p);
      if (l == null) {
        send(ex, 403, errors("preflight capability check returned 403, please ensure client's"
            + " policies grant access to the path \"" + p + "/\""));
        return;
      }
      ObjectNode data = mountNode(l.mount);
      data.put("path", l.mountPath + "/");
      send(ex, 200, envelope(data));
      return;
    }
    if (logical.equals("sys/mounts") && method.equals("GET")) {
      ObjectNode table = JSON.createObjectNode();
      namespaces.getOrDefault(ns, Map.of()).forEach((p, m) -> table.set(p + "/", mountNode(m)));
      table.set("sys/", JSON.createObjectNode().put("type", "system"));
      ObjectNode root = table.deepCopy();
      root.set("data", table);
      send(ex, 200, root.toString());
      return;
    }
    Located l = tryLocate(ns, logical);
    if (l == null) {
      send(ex, 404, errors("no handler for route \"" + logical + "\". route entry not found."));
      return;
    }
    if (l.mount.version == 1) {
      kv1(ex, method, l, list);
    } else {
      kv2(ex, method, l, query, list);
    }
  }

  private synchronized void kv1(HttpExchange ex, String method, Located l, boolean list)
      throws IOException {
    if (list) {
      listKeys(ex, l.mount, l.rest);
      return;
    }
    if (!method.equals("GET")) {
      send(ex, 405, errors("unsupported operation"));
      return;
    }
    Secret s = l.mount.secrets.get(l.rest);
    if (s == null || s.versions.isEmpty()) {
      send(ex, 404, errors());
      return;
    }
    ObjectNode root = base();
    root.put("lease_duration", 2764800);
    root.set("data", JSON.valueToTree(s.versions.get(0).data));
    send(ex, 200, root.toString());
  }

  private synchronized void kv2(HttpExchange ex, String method, Located l, String query,
      boolean list) throws IOException {
    String rest = l.rest;
    if (rest.startsWith("metadata/") || rest.equals("metadata")) {
      String name = rest.equals("metadata") ? "" : rest.substring("metadata/".length());
      if (list) {
        listKeys(ex, l.mount, name);
        return;
      }
      Secret s = l.mount.secrets.get(name);
      if (s == null) {
        send(ex, 404, errors());
        return;
      }
      ObjectNode data = JSON.createObjectNode();
      data.put("cas_required", false).put("created_time", s.versions.get(0).created.toString())
          .put("current_version", s.versions.size()).putNull("custom_metadata")
          .put("delete_version_after", "0s").put("max_versions", 0)
          .put("oldest_version", s.oldest)
          .put("updated_time", s.versions.get(s.versions.size() - 1).created.toString());
      ObjectNode versions = data.putObject("versions");
      for (int i = s.oldest; i <= s.versions.size(); i++) {
        Version v = s.versions.get(i - 1);
        versions.putObject(Integer.toString(i)).put("created_time", v.created.toString())
            .put("deletion_time", v.deletedAt == null ? "" : v.deletedAt.toString())
            .put("destroyed", v.destroyed);
      }
      send(ex, 200, envelope(data));
      return;
    }
    if (!rest.startsWith("data/")) {
      ObjectNode warn = base();
      warn.putArray("warnings").add("Invalid path for a versioned K/V secrets engine. See the API"
          + " docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault"
          + " kv get' for this operation.");
      send(ex, 404, warn.toString());
      return;
    }
    if (!method.equals("GET")) {
      send(ex, 405, errors("unsupported operation"));
      return;
    }
    Secret s = l.mount.secrets.get(rest.substring("data/".length()));
    if (s == null) {
      send(ex, 404, errors());
      return;
    }
    int version = s.versions.size();
    if (query != null) {
      for (String kv : query.split("&")) {
        if (kv.startsWith("version=")) {
          int v = Integer.parseInt(kv.substring("version=".length()));
          version = v == 0 ? version : v;
        }
      }
    }
    if (version < s.oldest || version > s.versions.size()) {
      send(ex, 404, errors());
      return;
    }
    Version v = s.versions.get(version - 1);
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("created_time", v.created.toString()).putNull("custom_metadata")
        .put("deletion_time", v.deletedAt == null ? "" : v.deletedAt.toString())
        .put("destroyed", v.destroyed).put("version", version);
    ObjectNode data = JSON.createObjectNode();
    if (v.deletedAt != null || v.destroyed) {
      data.putNull("data");
      data.set("metadata", metadata);
      ObjectNode root = base();
      root.set("data", data);
      send(ex, 404, root.toString());
      return;
    }
    data.set("data", JSON.valueToTree(v.data));
    data.set("metadata", metadata);
    send(ex, 200, envelope(data));
  }

  private void listKeys(HttpExchange ex, Mount mount, String dir) throws IOException {
    String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
    Set<String> keys = new TreeSet<>();
    for (String name : mount.secrets.keySet()) {
      if (name.startsWith(prefix)) {
        String tail = name.substring(prefix.length());
        int slash = tail.indexOf('/');
        keys.add(slash < 0 ? tail : tail.substring(0, slash + 1));
      }
    }
    if (keys.isEmpty()) {
      send(ex, 404, errors());
      return;
    }
    ObjectNode data = JSON.createObjectNode();
    ArrayNode arr = data.putArray("keys");
    keys.forEach(arr::add);
    send(ex, 200, envelope(data));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private record Located(String mountPath, Mount mount, String rest) {}

  private Located locate(String ns, String path) {
    Located l = tryLocate(ns, trim(path));
    if (l == null) {
      throw new IllegalArgumentException("no mount for " + path);
    }
    return l;
  }

  private Located tryLocate(String ns, String path) {
    Map<String, Mount> mounts = namespaces.getOrDefault(ns, Map.of());
    String best = null;
    for (String m : mounts.keySet()) {
      if ((path.equals(m) || path.startsWith(m + "/"))
          && (best == null || m.length() > best.length())) {
        best = m;
      }
    }
    if (best == null) {
      return null;
    }
    String rest = path.length() > best.length() ? path.substring(best.length() + 1) : "";
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    return new Located(best, mounts.get(best), rest);
  }

  private Secret secret(String ns, String path) {
    Located l = locate(ns, path);
    return l.mount.secrets.get(l.rest);
  }

  private boolean denied(String logical) {
    for (String p : deniedPrefixes) {
      if (logical.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private synchronized Failure nextFailure(String logical) {
    Failure f = failures.peek();
    if (f != null && f.path.test(logical)) {
      return failures.poll();
    }
    return null;
  }

  private static ObjectNode mountNode(Mount m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "kv").put("description", "").put("accessor", "kv_1234");
    n.putObject("options").put("version", Integer.toString(m.version));
    n.putObject("config").put("default_lease_ttl", 0).put("max_lease_ttl", 0);
    return n;
  }

  private static ObjectNode base() {
    ObjectNode root = JSON.createObjectNode();
    root.put("request_id", UUID.randomUUID().toString()).put("lease_id", "")
        .put("renewable", false).put("lease_duration", 0);
    root.putNull("data");
    root.putNull("wrap_info");
    root.putNull("warnings");
    root.putNull("auth");
    return root;
  }

  private static String envelope(JsonNode data) {
    ObjectNode root = base();
    root.set("data", data);
    return root.toString();
  }

  private static String authReply(String token, long ttl, boolean renewable) {
    ObjectNode root = base();
    ObjectNode auth = root.putObject("auth");
    auth.put("client_token", token).put("accessor", "acc");
    auth.putArray("policies").add("default").add("reader");
    auth.putArray("token_policies").add("default").add("reader");
    auth.putObject("metadata").put("role_name", "app");
    auth.put("lease_duration", ttl).put("renewable", renewable).put("entity_id", "")
        .put("token_type", "service").put("orphan", true);
    return root.toString();
  }

  private static String errors(String... messages) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("errors");
    for (String m : messages) {
      arr.add(m);
    }
    return root.toString();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static String trim(String s) {
    String t = s;
    while (t.startsWith("/")) {
      t = t.substring(1);
    }
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
