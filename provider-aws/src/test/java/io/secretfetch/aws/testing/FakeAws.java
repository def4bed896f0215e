package io.secretfetch.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback AWS: one region of Secrets Manager speaking the JSON 1.1 protocol as the service does
 * ({@code X-Amz-Target}, {@code application/x-amz-json-1.1}, epoch-second dates as JSON numbers,
 * errors through {@code __type} and {@code x-amzn-ErrorType} with the service's status codes), and
 * STS {@code AssumeRole} over the query protocol on the same port.
 *
 * <p>When keys are registered with {@link #acceptKey}, every request must carry a valid SigV4
 * signature made with one of them (checked here from scratch, not with the SDK's signer); unknown
 * keys get {@code UnrecognizedClientException}, bad signatures {@code InvalidSignatureException}.
 */
public final class FakeAws implements AutoCloseable {
  public static final String ACCOUNT = "123456789012";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/x-amz-json-1.1";

  /** One request as the server saw it. */
  public record Request(
      String target,
      Map<String, String> headers,
      JsonNode json,
      Map<String, String> form,
      String accessKeyId,
      String signingRegion,
      String signingService) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A scripted failure. */
  public record Fault(int status, String type, String message, boolean dropsConnection) {
    public static Fault error(int status, String type, String message) {
      return new Fault(status, type, message, false);
    }

    /** Closes the connection without answering: the client sees an I/O error. */
    public static Fault drop() {
      return new Fault(0, null, null, true);
    }
  }

  private static final class Version {
    final String id;
    final String string;
    final byte[] binary;
    final Instant created;
    final List<String> stages = new CopyOnWriteArrayList<>();

    Version(String id, String string, byte[] binary, Instant created) {
      this.id = id;
      this.string = string;
      this.binary = binary;
      this.created = created;
    }
  }

  private static final class Secret {
    final String name;
    final String arn;
    final Map<String, Version> versions = new LinkedHashMap<>();
    volatile Instant deletedDate;
    volatile boolean denied;
    volatile boolean kmsFails;
    volatile String description;
    final Map<String, String> tags = new LinkedHashMap<>();

    Secret(String name, String arn) {
      this.name = name;
      this.arn = arn;
    }
  }

  private record Key(String secret, String sessionToken) {}

  private final String region;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Fault> nextFaults = new ConcurrentLinkedQueue<>();
  private volatile Fault alwaysFault;
  private volatile String deniedTarget;
  private final AtomicInteger issued = new AtomicInteger();

  private FakeAws(String region) throws IOException {
    this.region = region;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-aws-" + region);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server for {@code region} on a free loopback port. */
  public static FakeAws start(String region) {
    try {
      return new FakeAws(region);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the loopback AWS", e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public String region() {
    return region;
  }

  // --- arranging --------------------------------------------------------------------------------

  public String arn(String name) {
    return secret(name).arn;
  }

  /** Adds a text version that becomes AWSCURRENT (the former current one AWSPREVIOUS). */
  public String putString(String name, String value) {
    return put(name, value, null);
  }

  public String putBinary(String name, byte[] value) {
    return put(name, null, value.clone());
  }

  private synchronized String put(String name, String string, byte[] binary) {
    Secret s =
        secrets.computeIfAbsent(
            name,
            n -> new Secret(n, "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + n
                + "-" + suffix(n)));
    String id = UUID.randomUUID().toString();
    Version v = new Version(id, string, binary, Instant.parse("2026-01-01T00:00:00.123Z").plusSeconds(s.versions.size()));
    for (Version old : s.versions.values()) {
      old.stages.remove("AWSPREVIOUS");
      if (old.stages.remove("AWSCURRENT")) {
        old.stages.add("AWSPREVIOUS");
      }
    }
    v.stages.add("AWSCURRENT");
    s.versions.put(id, v);
    return id;
  }

  /** Attaches a staging label to a version (moving it from any other). */
  public synchronized void label(String name, String versionId, String stage) {
    Secret s = secret(name);
    s.versions.values().forEach(v -> v.stages.remove(stage));
    s.versions.get(versionId).stages.add(stage);
  }

  public void scheduleDeletion(String name) {
    secret(name).deletedDate = Instant.parse("2026-02-01T00:00:00Z");
  }

  /** The caller may not read this secret (GetSecretValue, DescribeSecret, batch items). */
  public void deny(String name) {
    secret(name).denied = true;
  }

  /** Decrypting this secret fails as if its KMS key were disabled. */
  public void kmsFails(String name) {
    secret(name).kmsFails = true;
  }

  public void describe(String name, String description, Map<String, String> tags) {
    Secret s = secret(name);
    s.description = description;
    s.tags.putAll(tags);
  }

  /** Every call of {@code target} (e.g. {@code BatchGetSecretValue}) is denied as a whole. */
  public void denyTarget(String target) {
    this.deniedTarget = target;
  }

  /** Requires SigV4 signatures; this key pair is valid. */
  public void acceptKey(String accessKeyId, String secretAccessKey) {
    keys.put(accessKeyId, new Key(secretAccessKey, null));
  }

  /** Requires SigV4 signatures; this temporary key pair with its session token is valid. */
  public void acceptKey(String accessKeyId, String secretAccessKey, String sessionToken) {
    keys.put(accessKeyId, new Key(secretAccessKey, sessionToken));
  }

  public void revokeKey(String accessKeyId) {
    keys.remove(accessKeyId);
  }

  /** The next {@code count} requests fail with {@code fault}. */
  public void failNext(int count, Fault fault) {
    for (int i = 0; i < count; i++) {
      nextFaults.add(fault);
    }
  }

  public void failAlways(Fault fault) {
    alwaysFault = fault;
  }

  public void recover() {
    alwaysFault = null;
    nextFaults.clear();
  }

  // --- observing --------------------------------------------------------------------------------

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String target) {
    return requests.stream().filter(r -> target.equals(r.target())).toList();
  }

  public int count(String target) {
    return requests(target).size();
  }

  public Request last(String target) {
    List<Request> of = requests(target);
    if (of.isEmpty()) {
      throw new AssertionError("no " + target + " request was made");
    }
    return of.get(of.size() - 1);
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // --- serving ----------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String target = headers.get("x-amz-target");
      String contentType = headers.getOrDefault("content-type", "");
      Map<String, String> form = Map.of();
      JsonNode json = null;
      if (target == null && contentType.startsWith("application/x-www-form-urlencoded")) {
        form = parseForm(new String(body, StandardCharsets.UTF_8));
        target = "sts." + form.get("Action");
      } else if (body.length > 0) {
        json = JSON.readTree(body);
      }
      String[] scope = credentialScope(headers.get("authorization"));
      requests.add(
          new Request(
              target == null ? "" : target.replaceFirst("^secretsmanager\\.", ""),
              Map.copyOf(headers), json, form, scope == null ? null : scope[0],
              scope == null ? null : scope[2], scope == null ? null : scope[3]));

      Fault fault = nextFaults.poll();
      if (fault == null) {
        fault = alwaysFault;
      }
      if (fault != null) {
        if (fault.dropsConnection()) {
          throw new IOException("dropping the connection as scripted");
        }
        if (target != null && target.startsWith("sts.")) {
          stsError(ex, fault.status(), fault.type(), fault.message());
        } else {
          error(ex, fault.status(), fault.type(), fault.message());
        }
        return;
      }
      if (target != null && target.startsWith("sts.")) {
        sts(ex, headers, body, form);
        return;
      }
      if (!"POST".equals(ex.getRequestMethod()) || !contentType.equals(JSON_TYPE) || target == null) {
        error(ex, 400, "UnknownOperationException", null);
        return;
      }
      String authError = authenticate(ex, headers, body, "secretsmanager");
      if (authError != null) {
        error(ex, 400, authError, "The security token included in the request is invalid.");
        return;
      }
      String op = target.replaceFirst("^secretsmanager\\.", "");
      if (op.equals(deniedTarget)) {
        error(ex, 400, "AccessDeniedException", "User is not authorized to perform: secretsmanager:" + op);
        return;
      }
      switch (op) {
        case "GetSecretValue" -> getSecretValue(ex, json);
        case "BatchGetSecretValue" -> batchGetSecretValue(ex, json);
        case "DescribeSecret" -> describeSecret(ex, json);
        case "ListSecrets" -> listSecrets(ex, json);
        default -> error(ex, 400, "UnknownOperationException", null);
      }
    }
  }

  private void getSecretValue(HttpExchange ex, JsonNode req) throws IOException {
    String id = req.path("SecretId").asText(null);
    Secret s = find(id);
    if (s == null) {
      error(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
      return;
    }
    if (s.denied) {
      error(ex, 400, "AccessDeniedException", "User: arn:aws:iam::" + ACCOUNT + ":user/app is not"
          + " authorized to perform: secretsmanager:GetSecretValue on resource: " + id);
      return;
    }
    if (s.deletedDate != null) {
      error(ex, 400, "InvalidRequestException", "You can't perform this operation on the secret"
          + " because it was marked for deletion.");
      return;
    }
    if (s.kmsFails) {
      error(ex, 400, "DecryptionFailure", "Secrets Manager can't decrypt the protected secret text"
          + " using the provided KMS key.");
      return;
    }
    String versionId = req.path("VersionId").asText(null);
    String stage = req.path("VersionStage").asText(null);
    Version v = null;
    synchronized (this) {
      if (versionId != null) {
        v = s.versions.get(versionId);
        if (v != null && stage != null && !v.stages.contains(stage)) {
          error(ex, 400, "InvalidParameterException", "You provided a VersionStage that is not"
              + " associated to the provided VersionId.");
          return;
        }
      } else {
        String want = stage == null ? "AWSCURRENT" : stage;
        v = s.versions.values().stream().filter(x -> x.stages.contains(want)).findFirst().orElse(null);
      }
    }
    if (v == null) {
      error(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret"
          + " value for " + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
      return;
    }
    ObjectNode out = valueEntry(s, v);
    ok(ex, out);
  }

  private ObjectNode valueEntry(Secret s, Version v) {
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("VersionId", v.id);
    if (v.string != null) {
      out.put("SecretString", v.string);
    } else {
      out.put("SecretBinary", Base64.getEncoder().encodeToString(v.binary));
    }
    ArrayNode stages = out.putArray("VersionStages");
    v.stages.forEach(stages::add);
    out.put("CreatedDate", epoch(v.created));
    return out;
  }

  private void batchGetSecretValue(HttpExchange ex, JsonNode req) throws IOException {
    JsonNode ids = req.path("SecretIdList");
    if (!ids.isArray() || ids.isEmpty()) {
      error(ex, 400, "InvalidParameterException", "Either SecretIdList or Filters must be given.");
      return;
    }
    if (ids.size() > 20) {
      error(ex, 400, "InvalidParameterException", "SecretIdList must contain at most 20 ids.");
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode values = out.putArray("SecretValues");
    ArrayNode errors = out.putArray("Errors");
    for (JsonNode idNode : ids) {
      String id = idNode.asText();
      Secret s = find(id);
      String code = null;
      String message = null;
      if (s == null) {
        code = "ResourceNotFoundException";
        message = "Secrets Manager can't find the specified secret.";
      } else if (s.denied) {
        code = "AccessDeniedException";
        message = "User is not authorized to perform: secretsmanager:GetSecretValue on " + id;
      } else if (s.deletedDate != null) {
        code = "InvalidRequestException";
        message = "You can't perform this operation on the secret because it was marked for deletion.";
      } else if (s.kmsFails) {
        code = "DecryptionFailure";
        message = "Secrets Manager can't decrypt the protected secret text using the provided KMS key.";
      }
      if (code != null) {
        ObjectNode e = errors.addObject();
        e.put("SecretId", id);
        e.put("ErrorCode", code);
        e.put("Message", message);
        continue;
      }
      synchronized (this) {
        s.versions.values().stream()
            .filter(v -> v.stages.contains("AWSCURRENT"))
            .findFirst()
            .ifPresent(v -> values.add(valueEntry(s, v)));
      }
    }
    ok(ex, out);
  }

  private void describeSecret(HttpExchange ex, JsonNode req) throws IOException {
    String id = req.path("SecretId").asText(null);
    Secret s = find(id);
    if (s == null) {
      error(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
      return;
    }
    if (s.denied) {
      error(ex, 400, "AccessDeniedException", "User is not authorized to perform:"
          + " secretsmanager:DescribeSecret on resource: " + id);
      return;
    }
    ObjectNode out = listEntry(s);
    out.remove("SecretVersionsToStages");
    ObjectNode versions = out.putObject("VersionIdsToStages");
    synchronized (this) {
      s.versions.values().forEach(v -> {
        ArrayNode stages = versions.putArray(v.id);
        v.stages.forEach(stages::add);
      });
    }
    if (s.deletedDate != null) {
      out.put("DeletedDate", epoch(s.deletedDate));
    }
    ok(ex, out);
  }

  private ObjectNode listEntry(Secret s) {
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    if (s.description != null) {
      out.put("Description", s.description);
    }
    out.put("LastChangedDate", epoch(Instant.parse("2026-01-02T03:04:05.678Z")));
    out.put("CreatedDate", epoch(Instant.parse("2026-01-01T00:00:00Z")));
    out.put("RotationEnabled", false);
    if (!s.tags.isEmpty()) {
      ArrayNode tags = out.putArray("Tags");
      s.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
    }
    ObjectNode versions = out.putObject("SecretVersionsToStages");
    synchronized (this) {
      s.versions.values().forEach(v -> {
        ArrayNode stages = versions.putArray(v.id);
        v.stages.forEach(stages::add);
      });
    }
    return out;
  }

  private void listSecrets(HttpExchange ex, JsonNode req) throws IOException {
    int max = req.path("MaxResults").asInt(100);
    if (max < 1 || max > 100) {
      error(ex, 400, "InvalidParameterException", "MaxResults must be 1 to 100.");
      return;
    }
    String prefix = "";
    for (JsonNode f : req.path("Filters")) {
      if ("name".equals(f.path("Key").asText())) {
        prefix = f.path("Values").path(0).asText("");
      }
    }
    String lower = prefix.toLowerCase(Locale.ROOT);
    List<Secret> matching =
        new TreeMap<>(secrets).values().stream()
            .filter(s -> s.deletedDate == null)
            .filter(s -> s.name.toLowerCase(Locale.ROOT).startsWith(lower))
            .toList();
    int from = req.hasNonNull("NextToken") ? Integer.parseInt(req.get("NextToken").asText()) : 0;
    int to = Math.min(matching.size(), from + max);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("SecretList");
    for (Secret s : matching.subList(from, to)) {
      list.add(listEntry(s));
    }
    if (to < matching.size()) {
      out.put("NextToken", Integer.toString(to));
    }
    ok(ex, out);
  }

  private void sts(HttpExchange ex, Map<String, String> headers, byte[] body, Map<String, String> form)
      throws IOException {
    String authError = authenticate(ex, headers, body, "sts");
    if (authError != null) {
      stsError(ex, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      return;
    }
    if (!"AssumeRole".equals(form.get("Action")) || !"2011-06-15".equals(form.get("Version"))) {
      stsError(ex, 400, "InvalidAction", "Could not find operation " + form.get("Action"));
      return;
    }
    int n = issued.incrementAndGet();
    String keyId = "ASIATEMPORARY" + String.format("%07d", n);
    String secret = "temporarySecret" + n + "/" + UUID.randomUUID();
    String token = "FwoGZXIvYXdzEXAMPLETOKEN" + n;
    keys.put(keyId, new Key(secret, token));
    String expiration = Instant.now().plusSeconds(3600).toString();
    String xml =
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            + "  <AssumeRoleResult>\n"
            + "    <SourceIdentity>secret-fetch</SourceIdentity>\n"
            + "    <AssumedRoleUser>\n"
            + "      <Arn>" + form.get("RoleArn").replace(":role/", ":assumed-role/").replace("iam", "sts")
            + "/" + form.get("RoleSessionName") + "</Arn>\n"
            + "      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:" + form.get("RoleSessionName") + "</AssumedRoleId>\n"
            + "    </AssumedRoleUser>\n"
            + "    <Credentials>\n"
            + "      <AccessKeyId>" + keyId + "</AccessKeyId>\n"
            + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
            + "      <SessionToken>" + token + "</SessionToken>\n"
            + "      <Expiration>" + expiration + "</Expiration>\n"
            + "    </Credentials>\n"
            + "    <PackedPolicySize>6</PackedPolicySize>\n"
            + "  </AssumeRoleResult>\n"
            + "  <ResponseMetadata>\n"
            + "    <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
            + "  </ResponseMetadata>\n"
            + "</AssumeRoleResponse>\n";
    send(ex, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8), null);
  }

  // --- SigV4 ------------------------------------------------------------------------------------

  /** Null when the request is properly signed (or no keys are registered), else an error code. */
  private String authenticate(HttpExchange ex, Map<String, String> headers, byte[] body, String service) {
    if (keys.isEmpty()) {
      return null;
    }
    String auth = headers.get("authorization");
    String[] scope = credentialScope(auth);
    if (scope == null) {
      return "MissingAuthenticationTokenException";
    }
    Key key = keys.get(scope[0]);
    if (key == null) {
      return "UnrecognizedClientException";
    }
    if (key.sessionToken != null && !key.sessionToken.equals(headers.get("x-amz-security-token"))) {
      return "UnrecognizedClientException";
    }
    if (!scope[3].equals(service) || !"aws4_request".equals(scope[4])) {
      return "InvalidSignatureException";
    }
    String signedHeaders = field(auth, "SignedHeaders=");
    String signature = field(auth, "Signature=");
    StringBuilder canonical = new StringBuilder();
    canonical.append(ex.getRequestMethod()).append('\n');
    String path = ex.getRequestURI().getRawPath();
    canonical.append(path == null || path.isEmpty() ? "/" : path).append('\n');
    String query = ex.getRequestURI().getRawQuery();
    canonical.append(query == null ? "" : query).append('\n');
    for (String h : signedHeaders.split(";")) {
      String value = headers.get(h);
      if (value == null) {
        return "InvalidSignatureException";
      }
      canonical.append(h).append(':').append(value.trim().replaceAll(" +", " ")).append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body)));
    String amzDate = headers.get("x-amz-date");
    String credentialScope = String.join("/", scope[1], scope[2], scope[3], scope[4]);
    String toSign =
        "AWS4-HMAC-SHA256\n" + amzDate + "\n" + credentialScope + "\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac(("AWS4" + key.secret).getBytes(StandardCharsets.UTF_8), scope[1]);
    k = hmac(k, scope[2]);
    k = hmac(k, scope[3]);
    k = hmac(k, "aws4_request");
    String expected = hex(hmac(k, toSign));
    return MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            String.valueOf(signature).getBytes(StandardCharsets.US_ASCII))
        ? null
        : "InvalidSignatureException";
  }

  /** [accessKeyId, date, region, service, terminator] from an Authorization header, or null. */
  private static String[] credentialScope(String auth) {
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
      return null;
    }
    String credential = field(auth, "Credential=");
    if (credential == null) {
      return null;
    }
    String[] parts = credential.split("/");
    return parts.length == 5 ? parts : null;
  }

  private static String field(String auth, String name) {
    int at = auth.indexOf(name);
    if (at < 0) {
      return null;
    }
    int end = auth.indexOf(',', at);
    return auth.substring(at + name.length(), end < 0 ? auth.length() : end).trim();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private Secret find(String id) {
    if (id == null) {
      return null;
    }
    Secret byName = secrets.get(id);
    if (byName != null) {
      return byName;
    }
    for (Secret s : secrets.values()) {
      if (s.arn.equals(id) || s.arn.startsWith(id + "-")) {
        return s;
      }
    }
    return null;
  }

  private Secret secret(String name) {
    return Objects.requireNonNull(secrets.get(name), () -> "no secret " + name);
  }

  private static String suffix(String name) {
    String letters = "AbCdEfGhIjKlMnOpQrStUvWxYz";
    int h = Math.abs(name.hashCode());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(letters.charAt(h % letters.length()));
      h = h / 7 + 13;
    }
    return sb.toString();
  }

  private static double epoch(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private void ok(HttpExchange ex, JsonNode body) throws IOException {
    send(ex, 200, JSON_TYPE, JSON.writeValueAsBytes(body), null);
  }

  private void error(HttpExchange ex, int status, String type, String message) throws IOException {
    if (type == null) {
      send(ex, status, JSON_TYPE, new byte[0], null);
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", type);
    if (message != null) {
      body.put("Message", message);
    }
    send(ex, status, JSON_TYPE, JSON.writeValueAsBytes(body),
        type + ":http://internal.amazon.com/coral/com.amazonaws.secrets/");
  }

  private void stsError(HttpExchange ex, int status, String code, String message) throws IOException {
    if (code == null) {
      send(ex, status, "text/xml", new byte[0], null);
      return;
    }
    String xml =
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            + "  <Error>\n    <Type>Sender</Type>\n    <Code>" + code + "</Code>\n"
            + "    <Message>" + (message == null ? "" : message) + "</Message>\n  </Error>\n"
            + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n</ErrorResponse>\n";
    send(ex, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8), null);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, String errorType)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (errorType != null) {
      ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
