package io.secretfetch.platform.store;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.internal.AuditChain;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access policy and the audit of failures around every store operation: a refused or failed
 * operation leaves an event, written in a transaction of its own.
 */
final class Guard {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  private final StoreDb db;
  private final AccessPolicy policy;
  private final AuditChain auditChain;

  Guard(StoreDb db, AccessPolicy policy, AuditChain auditChain) {
    this.db = db;
    this.policy = policy;
    this.auditChain = auditChain;
  }

  interface Body<T> {
    T run();
  }

  /**
   * Checks the policy, runs {@code body} and audits a failure in a transaction of its own (the
   * failed one is rolled back). Successes are audited by {@code body} in its own transaction.
   */
  <T> T run(SecretContext context, AuditAction action, StoreOperation op, String name,
      Integer version, Body<T> body) {
    Objects.requireNonNull(context, "context");
    try {
      requirePermitted(context, op, name);
      return body.run();
    } catch (SecretException e) {
      auditFailure(context, action, name, version, e);
      throw e;
    }
  }

  void auditFailure(SecretContext context, AuditAction action, String name,
      Integer version, SecretException e) {
    try {
      db.inTransaction(c -> auditChain.append(c, List.of(
          event(context, action, e.error(), null, name, version, e.detail()))));
    } catch (RuntimeException auditFailure) {
      log.warn("Could not audit a failed {} of secret '{}' ({})", action, name, e.error(),
          auditFailure);
      e.addSuppressed(auditFailure);
    }
  }

  AuditChain.Entry event(SecretContext context, AuditAction action, SecretError error,
      UUID id, String name, Integer version, String detail) {
    return new AuditChain.Entry(db.now(), context.tenantId(), context.actor(), action, error, id,
        name, version, context.processInstanceId(), context.activityId(), detail);
  }

  boolean permits(SecretContext context, StoreOperation op, String name) {
    return policy.permits(context, op, name);
  }

  void requirePermitted(SecretContext context, StoreOperation op, String name) {
    if (!policy.permits(context, op, name)) {
      throw StoreErrors.denied(name);
    }
  }
}
