package io.secretfetch.platform.store;

/** The operations an {@link AccessPolicy} decides on. */
public enum StoreOperation {
  /** List names, read metadata, versions and checks. */
  READ_METADATA,
  /** Read a value. */
  READ_VALUE,
  /** Create, rotate, update metadata, delete, undelete, rollback. */
  MANAGE,
  /** Destroy a version or purge a deleted secret: irreversible. */
  DESTROY,
  /** Rotate or re-encrypt the tenant key. */
  MANAGE_KEYS
}
