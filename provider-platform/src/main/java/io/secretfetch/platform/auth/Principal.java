package io.secretfetch.platform.auth;

import java.util.Set;

/**
 * An authenticated caller of the HTTPS API.
 *
 * @param subject who it is: the API key's subject or the service token's {@code sub}; the actor
 *     of every audit event the request causes
 * @param tenantId the tenant it acts in, null for the default tenant
 * @param scopes what it may do
 * @param kind how it authenticated
 * @param credentialId the API key id or the token id ({@code jti}); never the credential itself
 * @param processInstanceId from a service token's {@code pid} claim, or null
 * @param activityId from a service token's {@code act} claim, or null
 */
public record Principal(
    String subject,
    String tenantId,
    Set<Scope> scopes,
    Kind kind,
    String credentialId,
    String processInstanceId,
    String activityId) {

  public enum Kind {
    API_KEY,
    SERVICE_TOKEN
  }

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
