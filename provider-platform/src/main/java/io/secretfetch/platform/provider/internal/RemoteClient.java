package io.secretfetch.platform.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.http.internal.Api;
import io.secretfetch.platform.provider.internal.PinnedTrust.PinMismatch;
import io.secretfetch.platform.store.SecretQuery;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote mode's HTTPS client: one {@link HttpClient} (connections are reused), a freshly
 * minted single-use service token per attempt, the pinned server certificate, retries with
 * exponential backoff and jitter for the read-only calls on 5xx (except a decryption failure),
 * 429 and I/O errors, and problem documents mapped back onto {@link SecretError}. Safe for
 * concurrent use.
 *
 * <p>No response body reaches a message or a log line: only the named fields of an {@code
 * application/problem+json} answer (which the server keeps value-free) are read.
 */
public final class RemoteClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteClient.class);
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final int MAX_PROBLEM_TEXT = 300;

  private final RemoteSettings s;
  private final HttpClient http;
  // A server answer with a key given twice is not the expected JSON (never "last one wins").
  private final ObjectMapper json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private final Clock clock;
  private final AtomicLong attempts = new AtomicLong();

  public RemoteClient(RemoteSettings settings, Clock clock) {
    this.s = settings;
    this.clock = clock;
    try {
      this.http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(PinnedTrust.context(settings.pin(), settings.trustStore()))
          .connectTimeout(settings.connectTimeout())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    } catch (GeneralSecurityException e) {
      throw new SecretException(SecretError.CONFIGURATION, null,
          "cannot set up TLS for " + settings.baseUrl() + " (" + e.getClass().getSimpleName() + ")",
          "Check 'trust-store' and 'server-certificate-sha256'", e);
    }
  }

  /** The one HTTP client every call goes through. */
  public HttpClient httpClient() {
    return http;
  }

  /** HTTP attempts made so far (retries included). */
  public long attempts() {
    return attempts.get();
  }

  // ---------------------------------------------------------------------------------------------

  public SecretValue fetch(SecretRef ref, SecretContext context) {
    SecretRef whole = ref.withoutField();
    String path = Api.BASE + "/secrets/" + encodePath(whole.name()) + "/value";
    if (whole.version() != null) {
      if (!whole.version().matches("[1-9][0-9]{0,8}")) {
        throw new SecretException(SecretError.INVALID_REFERENCE, whole,
            "platform versions are whole numbers from 1, not '" + whole.version() + "'",
            "Pin a version number such as @3, or remove the pin");
      }
      path += "?version=" + whole.version();
    }
    URI uri = uri(path);
    HttpResponse<byte[]> r = send(Call.FETCH, whole, context,
        () -> HttpRequest.newBuilder(uri).GET());
    byte[] body = r.body();
    byte[] value = null;
    try {
      JsonNode n = json.readTree(body);
      JsonNode v = n == null ? null : n.get("value");
      JsonNode version = n == null ? null : n.get("version");
      if (v == null || !v.isTextual() || version == null || !version.canConvertToInt()) {
        throw unexpected(whole, "a value response without value or version");
      }
      value = "base64".equals(n.path("encoding").asText("utf-8"))
          ? Base64.getDecoder().decode(v.textValue())
          : v.textValue().getBytes(StandardCharsets.UTF_8);
      Instant expiresAt = instant(n.get("expires_at"));
      return SecretValue.ofBytes(new SecretMetadata(whole, Integer.toString(version.asInt()),
          clock.instant(), expiresAt), value);
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      // Never the parser's message or the cause: both can quote the body.
      throw unexpected(whole, "a value response that is not the expected JSON");
    } finally {
      Arrays.fill(body, (byte) 0);
      if (value != null) {
        Arrays.fill(value, (byte) 0);
      }
    }
  }

  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    List<SecretRef> distinct = new ArrayList<>(new LinkedHashSet<>(refs));
    for (int from = 0; from < distinct.size(); from += Api.MAX_CHECK_REFS) {
      List<SecretRef> chunk =
          distinct.subList(from, Math.min(distinct.size(), from + Api.MAX_CHECK_REFS));
      ObjectNode req = json.createObjectNode();
      ArrayNode arr = req.putArray("refs");
      for (SecretRef r : chunk) {
        ObjectNode o = arr.addObject().put("name", r.name());
        if (r.version() != null) {
          o.put("version", r.version());
        }
      }
      byte[] payload;
      try {
        payload = json.writeValueAsBytes(req);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write a check request", e);
      }
      URI uri = uri(Api.BASE + "/secrets/check");
      HttpResponse<byte[]> r = send(Call.CHECK, null, context, () -> HttpRequest.newBuilder(uri)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(payload)));
      JsonNode items = readJson(r.body()).get("items");
      if (items == null || !items.isArray() || items.size() != chunk.size()) {
        throw unexpected(null, "a check response with " + (items == null ? "no" : items.size())
            + " items for " + chunk.size() + " references");
      }
      for (int i = 0; i < chunk.size(); i++) {
        SecretRef ref = chunk.get(i);
        JsonNode it = items.get(i);
        if (it.path("ok").asBoolean(false)) {
          out.put(ref, SecretCheck.ok(ref));
        } else {
          SecretError code = errorName(it.path("error").asText(null));
          out.put(ref, SecretCheck.failed(ref, new SecretException(
              code == null ? SecretError.PROVIDER_UNAVAILABLE : code, ref.withoutField(),
              clean(it.path("detail").asText(null)), clean(it.path("remedy").asText(null)))));
        }
      }
    }
    Map<SecretRef, SecretCheck> ordered = new LinkedHashMap<>();
    for (SecretRef r : refs) {
      ordered.put(r, out.get(r));
    }
    return ordered;
  }

  public List<SecretSummary> list(String prefix, SecretContext context) {
    List<SecretSummary> out = new ArrayList<>();
    String token = null;
    do {
      StringBuilder q = new StringBuilder(Api.BASE).append("/secrets?page_size=")
          .append(SecretQuery.MAX_PAGE_SIZE);
      if (prefix != null && !prefix.isEmpty()) {
        q.append("&prefix=").append(encodeQuery(prefix));
      }
      if (token != null) {
        q.append("&page_token=").append(encodeQuery(token));
      }
      URI uri = uri(q.toString());
      JsonNode page = readJson(send(Call.LIST, null, context,
          () -> HttpRequest.newBuilder(uri).GET()).body());
      for (JsonNode i : page.path("items")) {
        out.add(summary(i));
      }
      JsonNode next = page.get("next_page_token");
      token = next == null || next.isNull() ? null : next.asText();
    } while (token != null);
    return out;
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable from Java 21 on; on 17 its threads end when it is unreachable.
    if (http instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("Closing the HTTP client failed ({})", e.getClass().getName());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private enum Call {
    FETCH("read the secret"), CHECK("check secrets"), LIST("list secrets");

    final String what;

    Call(String what) {
      this.what = what;
    }
  }

  private HttpResponse<byte[]> send(Call call, SecretRef ref, SecretContext context,
      Supplier<HttpRequest.Builder> request) {
    int max = s.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      // A new token per attempt: the server accepts each token id once.
      String token = ServiceTokens.mint(s.workerKey(), s.subject(), s.audience(),
          context.tenantId(), context.processInstanceId(), context.activityId(),
          clock.instant(), s.tokenLifetime());
      HttpRequest req = request.get()
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json")
          .timeout(s.requestTimeout())
          .build();
      attempts.incrementAndGet();
      HttpResponse<byte[]> r;
      try {
        r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        PinMismatch pin = cause(e, PinMismatch.class);
        if (pin != null) {
          throw new SecretException(SecretError.CONFIGURATION, ref,
              "the server at " + s.baseUrl() + " presented a certificate with SHA-256 "
                  + pin.actual() + ", not the pinned " + pin.expected()
                  + "; the connection was closed before any request was sent",
              "If the server's certificate was replaced on purpose, set"
                  + " 'server-certificate-sha256' to the new fingerprint (check it on the server:"
                  + " it logs it at start); otherwise treat this as an interception attempt");
        }
        if (cause(e, SSLException.class) != null && cause(e, java.security.cert
            .CertificateException.class) != null) {
          throw new SecretException(SecretError.CONFIGURATION, ref,
              "the server at " + s.baseUrl() + " presented a certificate this worker does not"
                  + " trust (" + e.getClass().getSimpleName() + ")",
              "Set 'server-certificate-sha256' to the server's certificate fingerprint, or"
                  + " 'trust-store' to a store holding its CA", e);
        }
        if (attempt < max) {
          retryAfter(call, attempt, "an I/O error (" + e.getClass().getSimpleName() + ")", null);
          continue;
        }
        throw new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref,
            "could not " + call.what + " at " + s.baseUrl() + " after " + attempt
                + (attempt == 1 ? " attempt" : " attempts") + " (" + e.getClass().getSimpleName()
                + ")",
            "Check that the platform server at " + s.baseUrl() + " is running and reachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref,
            "interrupted while waiting for " + s.baseUrl(), "Retry");
      }
      int status = r.statusCode();
      if (status >= 200 && status < 300) {
        return r;
      }
      SecretException problem = problem(call, ref, context, r);
      Arrays.fill(r.body(), (byte) 0);
      boolean retryable = status == 429 || (status >= 500
          && problem.error() != SecretError.DECRYPTION_FAILED
          && problem.error() != SecretError.CONFIGURATION);
      if (retryable && attempt < max) {
        retryAfter(call, attempt, "status " + status, r.headers().firstValue("Retry-After")
            .orElse(null));
        continue;
      }
      throw problem;
    }
  }

  private void retryAfter(Call call, int attempt, String why, String retryAfterHeader) {
    long base = s.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long cap = s.maxBackoff().toMillis();
    base = Math.min(base, cap);
    long wait = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (retryAfterHeader != null && retryAfterHeader.matches("[0-9]{1,6}")) {
      wait = Math.min(Math.max(wait, Long.parseLong(retryAfterHeader) * 1000), cap);
    }
    log.debug("Platform server {}: could not {} ({}), attempt {} of {}; retrying in {} ms",
        s.baseUrl(), call.what, why, attempt, s.maxAttempts(), wait);
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecretException(SecretError.PROVIDER_UNAVAILABLE, null,
          "interrupted while waiting to retry " + s.baseUrl(), "Retry");
    }
  }

  /** The problem answer as a SecretException: named fields only, never the body. */
  private SecretException problem(Call call, SecretRef ref, SecretContext context,
      HttpResponse<byte[]> r) {
    int status = r.statusCode();
    String type = null;
    String detail = null;
    String remedy = null;
    SecretError named = null;
    String missingScope = null;
    boolean isProblem = r.headers().firstValue("Content-Type").orElse("")
        .startsWith(PROBLEM_JSON);
    if (isProblem) {
      try {
        JsonNode p = json.readTree(r.body());
        if (p != null && p.isObject()) {
          type = clean(p.path("type").asText(null));
          detail = clean(p.path("detail").asText(null));
          remedy = clean(p.path("remedy").asText(null));
          named = errorName(p.path("error").asText(null));
          missingScope = clean(p.path("missing_scope").asText(null));
        }
      } catch (IOException e) {
        // not a readable problem: answer from the status alone
      }
    }
    String kind = type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    String tenant = context.tenantId() == null ? "" : context.tenantId();
    String kid = s.workerKey().getKeyID();
    String said = "the platform server answered " + status
        + (detail == null ? "" : ": " + detail);
    SecretError code;
    switch (status) {
      case 400 -> code = named != null ? named
          : call == Call.FETCH ? SecretError.INVALID_REFERENCE : SecretError.INVALID_INPUT;
      case 401 -> {
        code = SecretError.ACCESS_DENIED;
        remedy = "Check that the server trusts worker key '" + kid + "' (a TrustedWorker with"
            + " this key's public part), that 'audience' (" + s.audience() + ") is the server's"
            + " audience, and that the worker's and the server's clocks agree";
      }
      case 403 -> {
        code = SecretError.ACCESS_DENIED;
        if (kind.equals("tenant-forbidden")) {
          remedy = "Let worker key '" + kid + "' act in tenant '" + tenant + "' on the server"
              + " (its TrustedWorker tenants), or resolve this secret in a tenant it serves";
        } else if (missingScope != null) {
          remedy = "The server requires scope " + missingScope + " for this call";
        }
      }
      case 404 -> {
        if (kind.equals("no-route")) {
          code = SecretError.CONFIGURATION;
          said = "the server at " + s.baseUrl() + " has no route for this call (404 no-route)";
          remedy = "Check 'url', and that the server runs a Secret Fetch platform version with"
              + " the remote provider's routes (POST /api/v1/secrets/check)";
        } else {
          code = named == SecretError.VERSION_NOT_FOUND ? named : SecretError.NOT_FOUND;
        }
      }
      case 409, 412 -> code = SecretError.CONFLICT;
      case 410 -> code = named == SecretError.EXPIRED ? named : SecretError.DELETED;
      case 413 -> code = SecretError.INVALID_INPUT;
      case 429 -> code = SecretError.THROTTLED;
      case 500 -> {
        if (named == SecretError.DECRYPTION_FAILED) {
          code = named;
          remedy = "The server cannot decrypt this secret: check that it is opened with the"
              + " master key the secret was written with";
        } else {
          code = SecretError.PROVIDER_UNAVAILABLE;
          remedy = "Check the platform server's log; retry later";
        }
      }
      default -> {
        code = SecretError.PROVIDER_UNAVAILABLE;
        if (remedy == null) {
          remedy = "Check that the platform server at " + s.baseUrl() + " and its database are"
              + " up, then retry";
        }
      }
    }
    return new SecretException(code, ref, said, remedy);
  }

  // ---------------------------------------------------------------------------------------------

  private URI uri(String pathAndQuery) {
    return URI.create(s.baseUrl() + pathAndQuery);
  }

  private JsonNode readJson(byte[] body) {
    try {
      JsonNode n = json.readTree(body);
      if (n == null || !n.isObject()) {
        throw unexpected(null, "an answer that is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw unexpected(null, "an answer that is not JSON");
    }
  }

  private SecretException unexpected(SecretRef ref, String what) {
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref,
        "the platform server at " + s.baseUrl() + " sent " + what,
        "Check that 'url' points at a Secret Fetch platform server");
  }

  private static SecretSummary summary(JsonNode i) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("category", i.path("category").asText("other"));
    attributes.put("version", Integer.toString(i.path("active_version").asInt()));
    if (i.hasNonNull("owner")) {
      attributes.put("owner", i.get("owner").asText());
    }
    if (i.hasNonNull("expires_at")) {
      attributes.put("expiresAt", i.get("expires_at").asText());
    }
    JsonNode tags = i.path("tags");
    for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      attributes.put("tag." + e.getKey(), e.getValue().asText());
    }
    Instant updated = null;
    try {
      updated = instant(i.get("updated_at"));
    } catch (DateTimeParseException e) {
      // left null
    }
    String description = i.hasNonNull("description") ? i.get("description").asText() : null;
    return new SecretSummary(i.path("name").asText(), description, updated, attributes);
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asText());
  }

  private static SecretError errorName(String name) {
    if (name == null) {
      return null;
    }
    try {
      return SecretError.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Problem text from the server: control characters removed, cut to a sane length. */
  private static String clean(String text) {
    if (text == null) {
      return null;
    }
    String t = text.replaceAll("\\p{Cntrl}", " ");
    return t.length() > MAX_PROBLEM_TEXT ? t.substring(0, MAX_PROBLEM_TEXT) + "…" : t;
  }

  private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    Set<Throwable> seen = new java.util.HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String encodePath(String name) {
    StringBuilder b = new StringBuilder();
    for (String seg : name.split("/", -1)) {
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(encodeQuery(seg));
    }
    return b.toString();
  }

  private static String encodeQuery(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Never prints a key or token. */
  @Override
  public String toString() {
    return "RemoteClient[" + s + "]";
  }

  /** The minimum: used by {@code toString} of the provider. */
  public URI baseUrl() {
    return s.baseUrl();
  }

  /** Settings, for tests and diagnostics (value-free). */
  public RemoteSettings settings() {
    return s;
  }
}
