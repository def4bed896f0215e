package io.secretfetch.platform.store;

import io.secretfetch.platform.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Reading secret and version rows into {@link SecretInfo} and {@link VersionInfo}. */
final class Rows {
  private Rows() {}

  static final String SECRET_COLUMNS =
      "s.id, s.tenant, s.name, s.description, s.owner, s.category, s.expires_at,"
          + " s.active_version, s.latest_version, s.created_at, s.created_by, s.updated_at,"
          + " s.deleted_at";

  static Optional<SecretInfo> findSecret(Connection c, String tenant, String name, boolean lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + SECRET_COLUMNS
        + " FROM sf_secret s WHERE s.tenant = ? AND s.name = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, tenant);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        SecretInfo s = secretInfo(rs, Map.of());
        return Optional.of(withTags(c, List.of(s)).get(0));
      }
    }
  }

  static SecretInfo lockSecret(Connection c, String tenant, String name) throws SQLException {
    return findSecret(c, tenant, name, true).orElseThrow(() -> StoreErrors.notFound(name));
  }

  static List<SecretInfo> withTags(Connection c, List<SecretInfo> items) throws SQLException {
    if (items.isEmpty()) {
      return items;
    }
    Map<UUID, Map<String, String>> tags = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT secret_id, tag_key, tag_value FROM sf_secret_tag WHERE secret_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("UUID", items.stream().map(SecretInfo::id).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tags.computeIfAbsent(rs.getObject(1, UUID.class), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    List<SecretInfo> out = new ArrayList<>(items.size());
    for (SecretInfo s : items) {
      Map<String, String> t = tags.getOrDefault(s.id(), Map.of());
      out.add(new SecretInfo(s.id(), s.tenantId(), s.name(), s.description(), s.owner(),
          s.category(), t, s.expiresAt(), s.activeVersion(), s.latestVersion(), s.createdAt(),
          s.createdBy(), s.updatedAt(), s.deletedAt()));
    }
    return out;
  }

  static Optional<VersionInfo> versionRow(Connection c, SecretInfo s, int version)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT version, ciphertext IS NULL, created_at, created_by, destroyed_at"
            + " FROM sf_secret_version WHERE secret_id = ? AND version = ?")) {
      ps.setObject(1, s.id());
      ps.setInt(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(versionInfo(rs, s.activeVersion())) : Optional.empty();
      }
    }
  }

  static VersionInfo versionInfo(ResultSet rs, int active) throws SQLException {
    int v = rs.getInt(1);
    boolean destroyed = rs.getBoolean(2);
    VersionState state = destroyed ? VersionState.DESTROYED
        : v == active ? VersionState.ACTIVE : VersionState.AVAILABLE;
    return new VersionInfo(v, state, Jdbc.instant(rs, 3), rs.getString(4), Jdbc.instant(rs, 5));
  }

  static SecretInfo secretInfo(ResultSet rs, Map<String, String> tags) throws SQLException {
    return new SecretInfo(
        rs.getObject(1, UUID.class),
        tenantOut(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        SecretCategory.fromCode(rs.getString(6)),
        tags,
        Jdbc.instant(rs, 7),
        rs.getInt(8),
        rs.getInt(9),
        Jdbc.instant(rs, 10),
        rs.getString(11),
        Jdbc.instant(rs, 12),
        Jdbc.instant(rs, 13));
  }

  static SecretInfo withVersions(
      SecretInfo s, int active, int latest, Instant expiresAt, Instant updatedAt) {
    return new SecretInfo(s.id(), s.tenantId(), s.name(), s.description(), s.owner(),
        s.category(), s.tags(), expiresAt, active, latest, s.createdAt(), s.createdBy(),
        updatedAt, s.deletedAt());
  }

  static void requireLive(SecretInfo s) {
    if (s.deleted()) {
      throw StoreErrors.deleted(s.name());
    }
  }

  static String tenantOut(String stored) {
    return stored.isEmpty() ? null : stored;
  }
}
