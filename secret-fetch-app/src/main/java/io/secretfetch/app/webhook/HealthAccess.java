package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretError;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.auth.Credentials;
import io.secretfetch.platform.auth.Scope;
import java.util.Locale;

/**
 * Who sees the detail of {@code GET /health} (engine, job executor, audit chain head, trigger
 * names): an API key of the store holding {@link #SCOPE}, the scope the API's audit log needs.
 * A caller without credentials gets the status only (what a load balancer needs); a presented
 * credential that fails is refused and audited, as on the API, so a misconfigured monitor is
 * noticed instead of silently seeing less.
 */
public final class HealthAccess {
  /** The scope that shows the detail. */
  public static final Scope SCOPE = Scope.SECRETS_MANAGE;

  public enum Outcome {
    /** No credential: the status only. */
    STATUS_ONLY,
    /** A valid API key holding the scope. */
    DETAIL,
    /** A credential that is not a valid API key: 401. */
    UNAUTHORIZED,
    /** A valid API key without the scope: 403. */
    FORBIDDEN
  }

  private final Credentials credentials;

  public HealthAccess(Credentials credentials) {
    this.credentials = credentials;
  }

  /** Decides from the {@code Authorization} header (null when absent). */
  public Outcome check(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Outcome.STATUS_ONLY;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(null, null, AuditAction.AUTHENTICATE, "GET /health: not a Bearer credential");
      return Outcome.UNAUTHORIZED;
    }
    String bearer = authorization.substring(7).trim();
    if (!bearer.startsWith(Credentials.API_KEY_PREFIX)) {
      refuse(null, null, AuditAction.AUTHENTICATE, "GET /health: not an API key");
      return Outcome.UNAUTHORIZED;
    }
    Credentials.ApiKeyCheck check = credentials.authenticateApiKey(bearer);
    if (!check.ok()) {
      refuse(check.tenantId(), check.keyId() == null ? null : "key:" + check.keyId(),
          AuditAction.AUTHENTICATE, "GET /health: API key refused: "
              + check.refusal().name().toLowerCase(Locale.ROOT));
      return Outcome.UNAUTHORIZED;
    }
    if (!check.principal().has(SCOPE)) {
      refuse(check.principal().tenantId(), check.principal().subject(), AuditAction.AUTHORIZE,
          "GET /health detail needs " + SCOPE.code());
      return Outcome.FORBIDDEN;
    }
    return Outcome.DETAIL;
  }

  private void refuse(String tenant, String actor, AuditAction action, String reason) {
    credentials.auditRefusal(tenant, actor, action, SecretError.ACCESS_DENIED, null, reason);
  }
}
