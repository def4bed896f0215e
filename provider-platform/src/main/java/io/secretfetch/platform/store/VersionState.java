package io.secretfetch.platform.store;

/** The state of one version of a secret. */
public enum VersionState {
  /** The version the secret row points at: what an unpinned read returns. */
  ACTIVE,
  /** An older or rolled-back version whose ciphertext is still stored. */
  AVAILABLE,
  /** Its ciphertext was destroyed; it cannot be read or rolled back to. */
  DESTROYED
}
