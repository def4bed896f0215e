package io.secretfetch.platform.audit;

import io.secretfetch.api.SecretError;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the audit trail. It names secrets and versions, never values.
 *
 * @param seq position in the chain, from 1, without gaps
 * @param occurredAt when it happened (microsecond precision)
 * @param tenantId the tenant, null for the default tenant
 * @param actor who acted, or null if unknown
 * @param action what was done
 * @param error null when the action succeeded, else why it failed
 * @param secretId the secret's id, or null (unknown secret, key operations)
 * @param secretName the secret's name, or null
 * @param version the version concerned, or null
 * @param processInstanceId the process instance on whose behalf, or null
 * @param activityId the activity on whose behalf, or null
 * @param detail a short value-free remark (e.g. "expected version 3, current 4"), or null
 */
public record AuditEvent(
    long seq,
    Instant occurredAt,
    String tenantId,
    String actor,
    AuditAction action,
    SecretError error,
    UUID secretId,
    String secretName,
    Integer version,
    String processInstanceId,
    String activityId,
    String detail) {

  public boolean succeeded() {
    return error == null;
  }

  /** {@code SUCCESS} or the error code, as stored. */
  public String outcome() {
    return error == null ? "SUCCESS" : error.name();
  }
}
