package io.secretfetch.platform.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key's facts; never the key. Safe to print and return.
 *
 * @param keyId the public id, also the key's prefix ({@code sfk_<keyId>_...})
 * @param tenantId the tenant the key acts in, null for the default tenant
 * @param subject who holds it; the actor of its audit events
 * @param scopes what it may do
 * @param createdAt when it was created
 * @param createdBy the actor who created it, or null
 * @param expiresAt after this instant the key is refused; null for never
 * @param revokedAt when it was revoked, or null
 */
public record ApiKeyInfo(
    String keyId,
    String tenantId,
    String subject,
    Set<Scope> scopes,
    Instant createdAt,
    String createdBy,
    Instant expiresAt,
    Instant revokedAt) {

  public ApiKeyInfo {
    scopes = Set.copyOf(scopes);
  }

  public boolean revoked() {
    return revokedAt != null;
  }
}
