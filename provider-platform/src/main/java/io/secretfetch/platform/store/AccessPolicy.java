package io.secretfetch.platform.store;

import io.secretfetch.api.SecretContext;

/**
 * Decides whether a caller may perform an operation. The store asks before it touches anything and
 * audits a refusal as {@code ACCESS_DENIED}. The default permits everything: in local mode the
 * host process is trusted, and scopes arrive with the HTTPS API. Implementations must be fast and
 * safe for concurrent use.
 */
@FunctionalInterface
public interface AccessPolicy {
  AccessPolicy PERMIT_ALL = (context, operation, secretName) -> true;

  /**
   * @param context who asks (tenant, actor)
   * @param operation what they want to do
   * @param secretName the secret concerned, or null for tenant-wide operations such as listing
   */
  boolean permits(SecretContext context, StoreOperation operation, String secretName);
}
