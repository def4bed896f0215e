package io.secretfetch.platform.http.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditEvent;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.auth.Scope;
import io.secretfetch.platform.http.internal.Route.Access;
import io.secretfetch.platform.store.GeneratedValue;
import io.secretfetch.platform.store.MetadataUpdate;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.Page;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.Rotation;
import io.secretfetch.platform.store.SecretCategory;
import io.secretfetch.platform.store.SecretInfo;
import io.secretfetch.platform.store.SecretMaterial;
import io.secretfetch.platform.store.SecretQuery;
import io.secretfetch.platform.store.VersionInfo;
import io.secretfetch.platform.store.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The API's routes and handlers. Every response is JSON; values appear only where stated. */
public final class Api {
  /** Shown instead of a value to callers without {@code secrets:read:value}. */
  public static final String MASK = "********";
  public static final String BASE = "/api/v1";

  private final PlatformSecretStore store;
  private final byte[] openApi;
  private final Responder out;

  public Api(PlatformSecretStore store, byte[] openApi, Responder out) {
    this.store = store;
    this.openApi = openApi.clone();
    this.out = out;
  }

  /** Writes JSON responses (so the server can add headers and scan bodies in one place). */
  public interface Responder {
    void json(Call call, int status, Object body);
  }

  /**
   * The route table. Routes with a fixed suffix come before {@code /secrets/<name>}, which would
   * otherwise also match them: the first matching route wins.
   */
  public List<Route> routes() {
    String s = BASE + "/secrets";
    return List.of(
        new Route(GET, BASE + "/health", Access.PUBLIC, null, this::health),
        new Route(GET, BASE + "/openapi.json", Access.PUBLIC, null, this::openApi),
        new Route(GET, s, Access.API_KEY_OR_TOKEN, Scope.SECRETS_READ, this::list),
        new Route(POST, s, Access.API_KEY, Scope.SECRETS_MANAGE, this::createOrUpdate),
        new Route(POST, s + "/check", Access.API_KEY_OR_TOKEN, Scope.SECRETS_READ, this::check),
        new Route(GET, s + "/<name>/value", Access.SERVICE_TOKEN, null, this::value),
        new Route(GET, s + "/<name>/metadata", Access.API_KEY_OR_TOKEN, Scope.SECRETS_READ,
            this::metadata),
        new Route(GET, s + "/<name>/versions", Access.API_KEY, Scope.SECRETS_READ,
            this::versions),
        new Route(PUT, s + "/<name>/rotate", Access.API_KEY, Scope.SECRETS_MANAGE, this::rotate),
        new Route(POST, s + "/<name>/rollback", Access.API_KEY, Scope.SECRETS_MANAGE,
            this::rollback),
        new Route(DELETE, s + "/<name>/versions/{version}", Access.API_KEY, Scope.SECRETS_MANAGE,
            this::destroy),
        new Route(GET, s + "/<name>", Access.API_KEY, Scope.SECRETS_READ, this::get),
        new Route(DELETE, s + "/<name>", Access.API_KEY, Scope.SECRETS_MANAGE, this::delete),
        new Route(GET, BASE + "/audit-log", Access.API_KEY, Scope.SECRETS_MANAGE, this::auditLog));
  }

  // ---------------------------------------------------------------------------------------------

  private void health(Call call) {
    out.json(call, 200, Map.of("status", "UP"));
  }

  private void openApi(Call call) {
    call.ctx().status(200).contentType("application/json").result(openApi);
  }

  private void list(Call call) {
    SecretQuery q = SecretQuery.all();
    String prefix = call.ctx().queryParam("prefix");
    if (prefix != null) {
      q = q.prefix(prefix);
    }
    String tag = call.ctx().queryParam("tag");
    if (tag != null && !tag.isEmpty()) {
      int eq = tag.indexOf('=');
      q = eq < 0 ? q.tag(tag) : q.tag(tag.substring(0, eq), tag.substring(eq + 1));
    }
    String category = call.ctx().queryParam("category");
    if (category != null) {
      q = q.category(category(category, "category"));
    }
    String deleted = call.ctx().queryParam("include_deleted");
    if (deleted != null) {
      q = q.includeDeleted(bool(deleted, "include_deleted"));
    }
    Integer size = call.intQuery("page_size", 1, SecretQuery.MAX_PAGE_SIZE);
    if (size != null) {
      q = q.pageSize(size);
    }
    String token = call.ctx().queryParam("page_token");
    if (token != null) {
      q = q.pageToken(token);
    }
    Page<SecretInfo> page = store.list(call.context(), q);
    List<Object> items = new ArrayList<>();
    page.items().forEach(i -> items.add(info(i)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("next_page_token", page.nextPageToken());
    out.json(call, 200, body);
  }

  /** The most references one {@code POST /secrets/check} takes. */
  public static final int MAX_CHECK_REFS = 500;

  /**
   * Checks references without reading or auditing a value: the store's one-query check. Answers
   * one item per reference, in order: {@code ok}, and else the {@code error} (a SecretError name),
   * {@code detail} and {@code remedy}.
   */
  private void check(Call call) {
    JsonNode refs = call.body().get("refs");
    if (refs == null || !refs.isArray()) {
      throw ApiProblem.invalid("refs", "refs must be an array of {name, version}");
    }
    if (refs.size() > MAX_CHECK_REFS) {
      throw ApiProblem.invalid("refs", "at most " + MAX_CHECK_REFS + " references per request");
    }
    List<SecretRef> asked = new ArrayList<>();
    List<Object> items = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      JsonNode r = refs.get(i);
      String field = "refs[" + i + "]";
      JsonNode name = r == null ? null : r.get("name");
      JsonNode version = r == null ? null : r.get("version");
      if (name == null || !name.isTextual()) {
        throw ApiProblem.invalid(field + ".name", "name must be a string");
      }
      if (version != null && !version.isNull() && !version.isTextual() && !version.isInt()) {
        throw ApiProblem.invalid(field + ".version", "version must be a string or a whole number");
      }
      String v = version == null || version.isNull() ? null : version.asText();
      try {
        asked.add(new SecretRef("platform", name.asText(), v, null));
      } catch (SecretException e) {
        throw ApiProblem.invalid(field, e.detail());
      }
    }
    Map<SecretRef, SecretCheck> result =
        asked.isEmpty() ? Map.of() : store.check(call.context(), asked);
    for (SecretRef r : asked) {
      SecretCheck c = result.get(r);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("version", r.version());
      m.put("ok", c.isOk());
      if (!c.isOk()) {
        SecretException p = c.problem();
        m.put("error", p.error().name());
        m.put("detail", p.detail());
        m.put("remedy", p.remedy());
      }
      items.add(m);
    }
    out.json(call, 200, Map.of("items", items));
  }

  private void createOrUpdate(Call call) {
    ObjectNode b = call.body();
    String name = text(b, "name", true);
    SecretMaterial material = material(b, true);
    String description = text(b, "description", false);
    String owner = text(b, "owner", false);
    String categoryCode = text(b, "category", false);
    SecretCategory category = categoryCode == null ? null : category(categoryCode, "category");
    Map<String, String> tags = tags(b);
    Instant expiresAt = instant(b, "expires_at");
    NewSecret.Builder nb = NewSecret.builder(name).value(material).description(description)
        .owner(owner).tags(tags).expiresAt(expiresAt);
    if (category != null) {
      nb.category(category);
    }
    try {
      WriteResult r = store.create(call.context(), nb.build());
      r.generatedValue().ifPresent(SecretValue::close);
      call.ctx().header("Location", BASE + "/secrets/" + name);
      call.ctx().header("ETag", etag(r.secret().activeVersion()));
      out.json(call, 201, info(r.secret()));
    } catch (SecretException e) {
      if (e.error() != SecretError.CONFLICT) {
        throw e;
      }
      // The name exists: this is an update. A deleted secret stays a conflict (undelete first).
      SecretInfo current = store.metadata(call.context(), name);
      if (current.deleted()) {
        throw e;
      }
      Rotation.Builder rb = Rotation.builder().value(material);
      if (b.has("expires_at")) {
        rb.expiresAt(expiresAt);
      }
      WriteResult r = store.rotate(call.context(), name, rb.build());
      r.generatedValue().ifPresent(SecretValue::close);
      SecretInfo info = r.secret();
      if (description != null || owner != null || category != null || b.has("tags")) {
        MetadataUpdate.Builder mu = MetadataUpdate.builder();
        if (description != null) {
          mu.description(description);
        }
        if (owner != null) {
          mu.owner(owner);
        }
        if (category != null) {
          mu.category(category);
        }
        if (b.has("tags")) {
          mu.tags(tags);
        }
        info = store.updateMetadata(call.context(), name, mu.build());
      }
      call.ctx().header("ETag", etag(info.activeVersion()));
      out.json(call, 200, info(info));
    } finally {
      material.wipe();
    }
  }

  private void get(Call call) {
    String name = call.name();
    SecretInfo info = store.metadata(call.context(), name);
    Map<String, Object> body = info(info);
    if (call.principal().has(Scope.SECRETS_READ_VALUE) && !info.deleted()) {
      try (SecretValue v = store.value(call.context(), name)) {
        putValue(body, v);
      }
    } else {
      body.put("value", MASK);
    }
    call.ctx().header("ETag", etag(info.activeVersion()));
    out.json(call, 200, body);
  }

  private void metadata(Call call) {
    SecretInfo info = store.metadata(call.context(), call.name());
    call.ctx().header("ETag", etag(info.activeVersion()));
    out.json(call, 200, info(info));
  }

  private void versions(Call call) {
    List<Object> items = new ArrayList<>();
    for (VersionInfo v : store.versions(call.context(), call.name())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
      m.put("created_at", str(v.createdAt()));
      m.put("created_by", v.createdBy());
      m.put("destroyed_at", str(v.destroyedAt()));
      items.add(m);
    }
    out.json(call, 200, Map.of("items", items));
  }

  private void rotate(Call call) {
    ObjectNode b = call.body();
    SecretMaterial material = material(b, true);
    try {
      Rotation.Builder rb = Rotation.builder().value(material);
      Integer ifMatch = ifMatch(call);
      if (ifMatch != null) {
        rb.expectedVersion(ifMatch);
      }
      if (b.has("expires_at")) {
        rb.expiresAt(instant(b, "expires_at"));
      }
      WriteResult r = withIfMatch(call, () -> store.rotate(call.context(), call.name(), rb.build()));
      r.generatedValue().ifPresent(SecretValue::close);
      call.ctx().header("ETag", etag(r.version()));
      out.json(call, 200, info(r.secret()));
    } finally {
      material.wipe();
    }
  }

  private void rollback(Call call) {
    ObjectNode b = call.body();
    JsonNode v = b.get("version");
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
      throw ApiProblem.invalid("version", "version must be a whole number of at least 1");
    }
    Integer ifMatch = ifMatch(call);
    SecretInfo info = withIfMatch(call,
        () -> store.rollback(call.context(), call.name(), v.asInt(), ifMatch));
    call.ctx().header("ETag", etag(info.activeVersion()));
    out.json(call, 200, info(info));
  }

  private void destroy(Call call) {
    int version;
    try {
      version = Integer.parseInt(call.ctx().pathParam("version"));
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid("version", "version must be a whole number");
    }
    if (version < 1) {
      throw ApiProblem.invalid("version", "version must be at least 1");
    }
    VersionInfo v = store.destroyVersion(call.context(), call.name(), version);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
    m.put("destroyed_at", str(v.destroyedAt()));
    out.json(call, 200, m);
  }

  private void delete(Call call) {
    out.json(call, 200, info(store.delete(call.context(), call.name())));
  }

  private void value(Call call) {
    Integer version = call.intQuery("version", 1, Integer.MAX_VALUE);
    try (SecretValue v = version == null
        ? store.value(call.context(), call.name())
        : store.value(call.context(), call.name(), version)) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", call.name());
      body.put("version", Integer.parseInt(v.version()));
      body.put("expires_at", str(v.expiresAt()));
      putValue(body, v);
      out.json(call, 200, body);
    }
  }

  private void auditLog(Call call) {
    String type = call.ctx().queryParam("resource_type");
    if (type != null && !type.equals("secret") && !type.equals("api_key")) {
      throw ApiProblem.invalid("resource_type", "resource_type must be secret or api_key");
    }
    AuditQuery q = AuditQuery.forTenant(call.context().tenantId());
    String secret = call.ctx().queryParam("secret");
    if (secret != null) {
      q = q.secret(secret);
    }
    String actor = call.ctx().queryParam("actor");
    if (actor != null) {
      q = q.actor(actor);
    }
    String action = call.ctx().queryParam("action");
    if (action != null) {
      try {
        q = q.action(AuditAction.valueOf(action.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.invalid("action", "action must be one of "
            + Arrays.toString(AuditAction.values()).toLowerCase(java.util.Locale.ROOT));
      }
    }
    Instant from = instantQuery(call, "from");
    Instant to = instantQuery(call, "to");
    if (from != null || to != null) {
      q = q.between(from, to);
    }
    Integer after = call.intQuery("after_seq", 0, Integer.MAX_VALUE);
    if (after != null) {
      q = q.afterSeq(after);
    }
    Integer limit = call.intQuery("limit", 1, AuditQuery.MAX_LIMIT);
    if (limit != null) {
      q = q.limit(limit);
    }
    List<Object> items = new ArrayList<>();
    for (AuditEvent e : store.audit().query(q)) {
      boolean keyEvent = e.action() == AuditAction.CREATE_API_KEY
          || e.action() == AuditAction.REVOKE_API_KEY;
      if ("secret".equals(type) && (keyEvent || e.secretName() == null)) {
        continue;
      }
      if ("api_key".equals(type) && !keyEvent) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seq", e.seq());
      m.put("occurred_at", str(e.occurredAt()));
      m.put("actor", e.actor());
      m.put("action", e.action().name().toLowerCase(java.util.Locale.ROOT));
      m.put("outcome", e.outcome());
      m.put("resource_type", keyEvent ? "api_key" : e.secretName() == null ? "tenant" : "secret");
      m.put("secret", e.secretName());
      m.put("version", e.version());
      m.put("process_instance_id", e.processInstanceId());
      m.put("activity_id", e.activityId());
      m.put("detail", e.detail());
      items.add(m);
    }
    out.json(call, 200, Map.of("items", items));
  }

  // ---------------------------------------------------------------------------------------------

  private interface Write<T> {
    T run();
  }

  private static <T> T withIfMatch(Call call, Write<T> w) {
    try {
      return w.run();
    } catch (SecretException e) {
      if (e.error() == SecretError.CONFLICT && call.ctx().header("If-Match") != null) {
        throw ApiProblem.of(e, true);
      }
      throw e;
    }
  }

  private static Integer ifMatch(Call call) {
    String h = call.ctx().header("If-Match");
    if (h == null) {
      return null;
    }
    String t = h.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    try {
      int v = Integer.parseInt(t);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw ApiProblem.invalid("If-Match",
        "If-Match must be the ETag of the active version, e.g. \"3\"");
  }

  static String etag(int version) {
    return "\"" + version + "\"";
  }

  private static void putValue(Map<String, Object> body, SecretValue v) {
    byte[] bytes = v.revealBytes();
    try {
      body.put("value", StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
      body.put("encoding", "utf-8");
    } catch (CharacterCodingException e) {
      body.put("value", Base64.getEncoder().encodeToString(bytes));
      body.put("encoding", "base64");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static SecretMaterial material(ObjectNode b, boolean required) {
    JsonNode value = b.get("value");
    JsonNode generate = b.get("generate");
    if (value != null && generate != null) {
      throw ApiProblem.invalid("value", "give value or generate, not both");
    }
    if (value != null) {
      if (!value.isTextual()) {
        throw ApiProblem.invalid("value", "value must be a string");
      }
      JsonNode enc = b.get("encoding");
      if (enc != null && enc.isTextual() && enc.asText().equals("base64")) {
        try {
          return SecretMaterial.bytes(Base64.getDecoder().decode(value.asText()));
        } catch (IllegalArgumentException e) {
          throw ApiProblem.invalid("value", "value is not valid base64");
        }
      }
      if (enc != null && !(enc.isTextual() && enc.asText().equals("utf-8"))) {
        throw ApiProblem.invalid("encoding", "encoding must be utf-8 or base64");
      }
      return SecretMaterial.text(value.asText());
    }
    if (generate != null) {
      if (!generate.isObject()) {
        throw ApiProblem.invalid("generate", "generate must be an object {length, alphabet}");
      }
      JsonNode len = generate.get("length");
      int length = len == null ? 32 : len.isIntegralNumber() ? len.asInt() : -1;
      if (length < GeneratedValue.MIN_LENGTH || length > GeneratedValue.MAX_LENGTH) {
        throw ApiProblem.invalid("generate.length", "generate.length must be from "
            + GeneratedValue.MIN_LENGTH + " to " + GeneratedValue.MAX_LENGTH);
      }
      JsonNode alpha = generate.get("alphabet");
      GeneratedValue.Alphabet alphabet = GeneratedValue.Alphabet.ALPHANUMERIC;
      if (alpha != null) {
        try {
          alphabet = GeneratedValue.Alphabet.valueOf(alpha.asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw ApiProblem.invalid("generate.alphabet", "generate.alphabet must be one of "
              + Arrays.toString(GeneratedValue.Alphabet.values()).toLowerCase(java.util.Locale.ROOT));
        }
      }
      try {
        return SecretMaterial.generate(GeneratedValue.of(length, alphabet));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.invalid("generate", e.getMessage());
      }
    }
    if (required) {
      throw ApiProblem.invalid("value", "give value (a string) or generate");
    }
    return null;
  }

  private static String text(ObjectNode b, String field, boolean required) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw ApiProblem.invalid(field, field + " is required");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw ApiProblem.invalid(field, field + " must be a string");
    }
    return n.asText();
  }

  private static Map<String, String> tags(ObjectNode b) {
    JsonNode n = b.get("tags");
    Map<String, String> tags = new TreeMap<>();
    if (n == null || n.isNull()) {
      return tags;
    }
    if (!n.isObject()) {
      throw ApiProblem.invalid("tags", "tags must be an object of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw ApiProblem.invalid("tags." + e.getKey(), "tag values must be strings");
      }
      tags.put(e.getKey(), e.getValue().asText());
    }
    return tags;
  }

  private static Instant instant(ObjectNode b, String field) {
    String t = text(b, field, false);
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw ApiProblem.invalid(field, field + " must be an ISO-8601 instant, e.g. 2030-01-31T00:00:00Z");
    }
  }

  private static Instant instantQuery(Call call, String param) {
    String t = call.ctx().queryParam(param);
    if (t == null || t.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw ApiProblem.invalid(param, param + " must be an ISO-8601 instant");
    }
  }

  private static SecretCategory category(String code, String field) {
    try {
      return SecretCategory.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(field, e.getMessage());
    }
  }

  private static boolean bool(String raw, String field) {
    if (raw.equals("true")) {
      return true;
    }
    if (raw.equals("false")) {
      return false;
    }
    throw ApiProblem.invalid(field, field + " must be true or false");
  }

  static Map<String, Object> info(SecretInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id().toString());
    m.put("name", s.name());
    m.put("description", s.description());
    m.put("owner", s.owner());
    m.put("category", s.category().code());
    m.put("tags", s.tags());
    m.put("expires_at", str(s.expiresAt()));
    m.put("active_version", s.activeVersion());
    m.put("latest_version", s.latestVersion());
    m.put("created_at", str(s.createdAt()));
    m.put("created_by", s.createdBy());
    m.put("updated_at", str(s.updatedAt()));
    m.put("deleted_at", str(s.deletedAt()));
    return m;
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }
}
