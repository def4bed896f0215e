package io.secretfetch.vault.internal;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;

/**
 * Vault statuses as {@link SecretException}s, each with a remedy. Messages carry statuses, paths,
 * namespaces and versions; never a response body, token or value.
 */
final class Errors {
  private Errors() {}

  /** A policy stanza granting {@code capability} on {@code path}, for remedies. */
  static String policy(String path, String capability, String namespace) {
    return "path \"" + path + "\" { capabilities = [\"" + capability + "\"] }"
        + (namespace == null ? "" : " in namespace '" + namespace + "'");
  }

  static SecretException denied(SecretRef ref, String what, String path, String capability,
      String namespace) {
    return SecretException.accessDenied(
        ref,
        "Vault denied " + what + " (403 on " + path + inNamespace(namespace) + ")",
        "Add to a policy of the provider's token or AppRole: "
            + policy(path, capability, namespace));
  }

  static String inNamespace(String namespace) {
    return namespace == null ? "" : " in namespace '" + namespace + "'";
  }

  /**
   * The error for a status that is neither success nor a documented 4xx of the operation: 412,
   * 429, 5xx, redirects, and anything unexpected.
   */
  static SecretException unexpected(SecretRef ref, int status, String what, String address,
      Reply reply) {
    return switch (status) {
      case 429 -> SecretException.throttled(
          ref,
          "Vault answered 429 to " + what + " (rate limit quota exceeded) after retries",
          "Retry later, or raise the rate limit quota that applies to this path (vault read"
              + " sys/quotas/rate-limit)");
      case 412 -> SecretException.providerUnavailable(
          ref,
          "Vault answered 412 to " + what + " after retries (a performance standby has not yet"
              + " caught up with a recent write)",
          "Retry; if it persists, check replication to the performance standby at " + address);
      case 503 -> SecretException.providerUnavailable(
          ref,
          "Vault at " + address + " answered 503 to " + what + " after retries ("
              + (reply != null && reply.errorMentions("sealed")
                  ? "Vault is sealed"
                  : "sealed, or a standby that cannot serve requests")
              + ")",
          "Unseal Vault (vault operator unseal) or point 'address' at the active node or its"
              + " load balancer, then retry");
      case 501 -> SecretException.providerUnavailable(
          ref,
          "Vault at " + address + " answered 501 to " + what + " (not initialized)",
          "Initialize Vault (vault operator init), then retry");
      case 301, 302, 303, 307, 308 -> SecretException.providerUnavailable(
          ref,
          "Vault at " + address + " answered " + status + " to " + what
              + " (a standby redirecting to the active node); redirects are not followed so"
              + " that the token is not sent elsewhere",
          "Point 'address' at the active node or at the cluster's load balancer");
      case 400 -> SecretException.invalidReference(
          ref,
          "Vault answered 400 (bad request) to " + what,
          "Check the reference: the path and version must be valid for this mount");
      case 405 -> SecretException.configuration(
          ref,
          "Vault answered 405 (unsupported operation) to " + what
              + "; the mount's KV version is probably not the one configured",
          "Correct the mount's version in the 'mounts' setting (e.g. secret=2)");
      default -> SecretException.providerUnavailable(
          ref,
          "Vault at " + address + " answered " + status + " to " + what
              + (status >= 500 ? " after retries" : ""),
          "Check Vault's health (vault status) and server log, then retry");
    };
  }

  static SecretException interrupted(SecretRef ref, InterruptedException e) {
    return SecretException.providerUnavailable(
        ref,
        "interrupted while waiting for Vault",
        "The calling thread was interrupted; retry if the work is still wanted",
        e);
  }
}
