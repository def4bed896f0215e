package io.secretfetch.platform.audit;

/** What an audit event records. */
public enum AuditAction {
  CREATE,
  /** A secret value was read (or an attempt to read one failed). */
  READ_VALUE,
  ROTATE,
  UPDATE_METADATA,
  DELETE,
  UNDELETE,
  DESTROY_VERSION,
  ROLLBACK,
  /** A soft-deleted secret was removed for good, with all its versions. */
  PURGE,
  ROTATE_TENANT_KEY,
  REENCRYPT,
  ROTATE_MASTER_KEY,
  /** An API key was created (HTTPS API). */
  CREATE_API_KEY,
  /** An API key was revoked. */
  REVOKE_API_KEY,
  /** A request to the HTTPS API failed to authenticate (bad, revoked or expired key; forged,
   * expired, replayed or misaddressed service token). */
  AUTHENTICATE,
  /** A request to the HTTPS API was refused for a missing scope before reaching the store. */
  AUTHORIZE
}
