package io.secretfetch.platform.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * Filters for {@link AuditLog#query(AuditQuery)}; every filter is optional and they combine with
 * AND. Results come in chain order; page with {@link #afterSeq(long)} using the last seq seen.
 * Immutable: each method returns a changed copy.
 */
public final class AuditQuery {
  /** The most events one query returns. */
  public static final int MAX_LIMIT = 1000;

  private final boolean allTenants;
  private final String tenantId;
  private final String secretName;
  private final String actor;
  private final AuditAction action;
  private final Instant from;
  private final Instant to;
  private final long afterSeq;
  private final int limit;

  private AuditQuery(
      boolean allTenants,
      String tenantId,
      String secretName,
      String actor,
      AuditAction action,
      Instant from,
      Instant to,
      long afterSeq,
      int limit) {
    this.allTenants = allTenants;
    this.tenantId = tenantId;
    this.secretName = secretName;
    this.actor = actor;
    this.action = action;
    this.from = from;
    this.to = to;
    this.afterSeq = afterSeq;
    this.limit = limit;
  }

  /** Events of one tenant (null: the default tenant). */
  public static AuditQuery forTenant(String tenantId) {
    return new AuditQuery(false, tenantId, null, null, null, null, null, 0, 100);
  }

  /** Events of every tenant, for operators. */
  public static AuditQuery allTenants() {
    return new AuditQuery(true, null, null, null, null, null, null, 0, 100);
  }

  public AuditQuery secret(String name) {
    return new AuditQuery(allTenants, tenantId, name, actor, action, from, to, afterSeq, limit);
  }

  public AuditQuery actor(String who) {
    return new AuditQuery(allTenants, tenantId, secretName, who, action, from, to, afterSeq, limit);
  }

  public AuditQuery action(AuditAction what) {
    return new AuditQuery(allTenants, tenantId, secretName, actor, what, from, to, afterSeq, limit);
  }

  /** Events at or after {@code fromInclusive} and before {@code toExclusive}; either may be null. */
  public AuditQuery between(Instant fromInclusive, Instant toExclusive) {
    return new AuditQuery(
        allTenants, tenantId, secretName, actor, action, fromInclusive, toExclusive, afterSeq,
        limit);
  }

  public AuditQuery afterSeq(long seq) {
    return new AuditQuery(allTenants, tenantId, secretName, actor, action, from, to, seq, limit);
  }

  public AuditQuery limit(int max) {
    if (max < 1 || max > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + " but was " + max);
    }
    return new AuditQuery(allTenants, tenantId, secretName, actor, action, from, to, afterSeq, max);
  }

  public boolean isAllTenants() {
    return allTenants;
  }

  public String tenantId() {
    return tenantId;
  }

  public String secretName() {
    return secretName;
  }

  public String actor() {
    return actor;
  }

  public AuditAction action() {
    return action;
  }

  public Instant from() {
    return from;
  }

  public Instant to() {
    return to;
  }

  public long afterSeq() {
    return afterSeq;
  }

  public int limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "AuditQuery[tenant=" + (allTenants ? "*" : Objects.toString(tenantId, "(default)"))
        + ", secret=" + secretName + ", actor=" + actor + ", action=" + action + ", from=" + from
        + ", to=" + to + ", afterSeq=" + afterSeq + ", limit=" + limit + "]";
  }
}
