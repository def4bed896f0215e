package io.secretfetch.platform.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.auth.Credentials;
import io.secretfetch.platform.auth.Principal;
import io.secretfetch.platform.auth.ServiceTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Per-request plumbing: headers, authentication, scopes, auditing of refusals, JSON output. */
public final class Calls {
  private static final Logger log = LoggerFactory.getLogger(Calls.class);
  private static final String ANSWERED = "secret-fetch.answered";
  public static final String PROBLEM_JSON = "application/problem+json";

  private final ObjectMapper json;
  private final Credentials credentials;
  private final ServiceTokenVerifier verifier;
  private final int maxBody;

  public Calls(ObjectMapper json, Credentials credentials, ServiceTokenVerifier verifier,
      int maxBody) {
    this.json = json;
    this.credentials = credentials;
    this.verifier = verifier;
    this.maxBody = maxBody;
  }

  public void handle(Context ctx, Route route) throws Exception {
    SecurityHeaders.addTo(ctx.res());
    long length = ctx.req().getContentLengthLong();
    if (length > maxBody) {
      throw ApiProblem.tooLarge(maxBody);
    }
    Principal p = switch (route.access()) {
      case PUBLIC -> null;
      case API_KEY -> apiKey(ctx, route);
      case API_KEY_OR_TOKEN -> isApiKey(bearer(ctx, route)) ? apiKey(ctx, route)
          : token(ctx, route);
      case SERVICE_TOKEN -> token(ctx, route);
    };
    if (p != null && route.scope() != null && !p.has(route.scope())) {
      credentials.auditRefusal(p.tenantId(), p.subject(), AuditAction.AUTHORIZE,
          SecretError.ACCESS_DENIED, secretName(ctx),
          route.method() + " " + route.openApiPath() + " needs " + route.scope().code());
      throw ApiProblem.missingScope(route.scope().code());
    }
    SecretContext context = p == null ? SecretContext.system()
        : new SecretContext(p.tenantId(), p.subject(), p.processInstanceId(), p.activityId());
    route.action().handle(new Call(ctx, p, context, json, maxBody));
  }

  private static boolean isApiKey(String bearer) {
    return bearer != null && bearer.startsWith(Credentials.API_KEY_PREFIX);
  }

  private String bearer(Context ctx, Route route) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }

  private Principal apiKey(Context ctx, Route route) {
    String bearer = bearer(ctx, route);
    if (bearer == null) {
      refuse(ctx, route, null, null, "no credential");
    }
    if (!isApiKey(bearer)) {
      refuse(ctx, route, null, null, "a service token was presented where an API key is needed");
    }
    Credentials.ApiKeyCheck check = credentials.authenticateApiKey(bearer);
    if (!check.ok()) {
      refuse(ctx, route, check.tenantId(), check.keyId() == null ? null : "key:" + check.keyId(),
          "API key refused: " + check.refusal().name().toLowerCase(java.util.Locale.ROOT));
    }
    return check.principal();
  }

  private Principal token(Context ctx, Route route) {
    if (ctx.header("Origin") != null || ctx.header("Cookie") != null) {
      // Browsers add Origin to cross-origin requests; the value path is for workers only.
      credentials.auditRefusal(null, null, AuditAction.AUTHENTICATE, SecretError.ACCESS_DENIED,
          secretName(ctx), "browser request (Origin or Cookie header) to " + route.openApiPath());
      throw new ApiProblem(403, "browser-refused", "Forbidden",
          "this endpoint serves workers only; browser requests are refused");
    }
    String bearer = bearer(ctx, route);
    if (bearer == null) {
      refuse(ctx, route, null, null, "no credential");
    }
    if (isApiKey(bearer)) {
      refuse(ctx, route, null, null, "an API key was presented to an endpoint that accepts only"
          + " service tokens");
    }
    try {
      return verifier.verify(bearer);
    } catch (ServiceTokenVerifier.Rejected r) {
      if (r.forbidden()) {
        credentials.auditRefusal(r.tenantId(), r.subject(), AuditAction.AUTHENTICATE,
            SecretError.ACCESS_DENIED, secretName(ctx), r.getMessage());
        throw new ApiProblem(403, "tenant-forbidden", "Forbidden",
            "the service token's worker may not act in the tenant it claims");
      }
      refuse(ctx, route, r.tenantId(), r.subject(), r.getMessage());
      return null;
    }
  }

  private void refuse(Context ctx, Route route, String tenantId, String actor, String reason) {
    credentials.auditRefusal(tenantId, actor, AuditAction.AUTHENTICATE, SecretError.ACCESS_DENIED,
        secretName(ctx), reason);
    log.info("Refused {} {}: {}", route.method(), route.openApiPath(), reason);
    ctx.header("WWW-Authenticate", route.access() == Route.Access.SERVICE_TOKEN
        ? "Bearer realm=\"secret-fetch\", error=\"invalid_token\""
        : "Bearer realm=\"secret-fetch\"");
    throw ApiProblem.unauthorized(route.access() == Route.Access.SERVICE_TOKEN
        ? "a valid, unused service token (signed JWT) is required"
        : route.access() == Route.Access.API_KEY
            ? "a valid API key is required (Authorization: Bearer sfk_...)"
            : "a valid API key or service token is required");
  }

  private static String secretName(Context ctx) {
    try {
      return ctx.pathParamMap().get("name");
    } catch (RuntimeException e) {
      return null;
    }
  }

  public void writeJson(Call call, int status, Object body) {
    write(call.ctx(), status, "application/json", body);
  }

  public void writeProblem(Context ctx, ApiProblem p) {
    SecurityHeaders.addTo(ctx.res());
    write(ctx, p.status(), PROBLEM_JSON, p.body(safePath(ctx)));
  }

  private void write(Context ctx, int status, String type, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a response", e);
    }
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(status).contentType(type).result(bytes);
  }

  public static boolean answered(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(ANSWERED));
  }

  /** The request path, cut and reduced to safe characters (it is echoed in problems). */
  public static String safePath(Context ctx) {
    String p = ctx.path();
    if (p.length() > 300) {
      p = p.substring(0, 300) + "…";
    }
    return p.replaceAll("[^A-Za-z0-9._~/%-]", "?");
  }
}
