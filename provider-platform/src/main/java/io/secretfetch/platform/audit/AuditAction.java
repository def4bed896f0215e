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
  ROTATE_MASTER_KEY
}
