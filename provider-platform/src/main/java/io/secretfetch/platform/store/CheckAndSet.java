package io.secretfetch.platform.store;

/**
 * The check-and-set rule of rotations and rollbacks: a writer that names the active version it
 * read loses with {@code CONFLICT} when another writer changed it since, never overwrites.
 */
final class CheckAndSet {
  private CheckAndSet() {}

  /** Passes when {@code expected} is null (no check) or is {@code current}'s active version. */
  static void require(String name, Integer expected, SecretInfo current, String remedy) {
    if (expected != null && expected != current.activeVersion()) {
      throw StoreErrors.conflict(name, expected, current.activeVersion(), remedy);
    }
  }
}
