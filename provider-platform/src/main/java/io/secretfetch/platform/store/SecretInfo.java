package io.secretfetch.platform.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A secret's metadata; never its value. Safe to print, log and return from APIs.
 *
 * @param id the store's id, stable across renames and unique across tenants
 * @param tenantId the tenant, null for the default tenant
 * @param name unique per tenant
 * @param description free text, or null
 * @param owner who answers for it (a team or person), or null
 * @param category what kind of credential it is
 * @param tags key/value labels, sorted by key
 * @param expiresAt after this instant the value can no longer be read; null if it never expires
 * @param activeVersion the version unpinned reads return
 * @param latestVersion the highest version number written
 * @param createdAt when it was created
 * @param createdBy who created it, or null
 * @param updatedAt when it last changed (value or metadata)
 * @param deletedAt when it was soft-deleted, or null
 */
public record SecretInfo(
    UUID id,
    String tenantId,
    String name,
    String description,
    String owner,
    SecretCategory category,
    Map<String, String> tags,
    Instant expiresAt,
    int activeVersion,
    int latestVersion,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    Instant deletedAt) {

  public SecretInfo {
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
  }

  public boolean deleted() {
    return deletedAt != null;
  }

  /** Whether the secret's expiry has passed at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
