package io.secretfetch.api;

/**
 * Who asks for a secret, and on whose behalf: the tenant whose secrets may be read, and the facts
 * an audit trail records. Blank strings become null, so providers only have to check for null.
 *
 * @param tenantId the tenant (a Camunda tenant, the store's organization); null is the default
 *     tenant. A provider must only ever return this tenant's secrets.
 * @param actor who asks: a user, a service token subject, or a worker id; null if unknown
 * @param processInstanceId the process instance asking, for audit; may be null
 * @param activityId the activity asking, for audit; may be null
 */
public record SecretContext(
    String tenantId, String actor, String processInstanceId, String activityId) {

  private static final SecretContext SYSTEM = new SecretContext(null, "system", null, null);

  public SecretContext {
    tenantId = blankToNull(tenantId);
    actor = blankToNull(actor);
    processInstanceId = blankToNull(processInstanceId);
    activityId = blankToNull(activityId);
  }

  /** The default tenant, acting as the platform itself. */
  public static SecretContext system() {
    return SYSTEM;
  }

  /** The given tenant, acting as the platform itself. */
  public static SecretContext forTenant(String tenantId) {
    return new SecretContext(tenantId, "system", null, null);
  }

  public SecretContext withActor(String newActor) {
    return new SecretContext(tenantId, newActor, processInstanceId, activityId);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
