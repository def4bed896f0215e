package io.secretfetch.platform.store;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.crypto.internal.Keysets;
import io.secretfetch.platform.store.internal.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's reads: metadata, versions, listing, checks, and values. A value read commits its
 * audit event before the value is returned; if the event cannot be written, no value is returned.
 */
final class SecretReads {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  private final StoreDb db;
  private final Guard guard;
  private final TenantKeyring keyring;
  private final AuditChain auditChain;

  SecretReads(StoreDb db, Guard guard, TenantKeyring keyring, AuditChain auditChain) {
    this.db = db;
    this.guard = guard;
    this.keyring = keyring;
    this.auditChain = auditChain;
  }

  SecretInfo metadata(SecretContext context, String name) {
    String tenant = Validation.tenant(context.tenantId());
    Validation.name(name);
    guard.requirePermitted(context, StoreOperation.READ_METADATA, name);
    return db.query(c -> Rows.findSecret(c, tenant, name, false)
        .orElseThrow(() -> StoreErrors.notFound(name)));
  }

  List<VersionInfo> versions(SecretContext context, String name) {
    String tenant = Validation.tenant(context.tenantId());
    Validation.name(name);
    guard.requirePermitted(context, StoreOperation.READ_METADATA, name);
    return db.query(c -> {
      SecretInfo s = Rows.findSecret(c, tenant, name, false).orElseThrow(() -> StoreErrors.notFound(name));
      List<VersionInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT version, ciphertext IS NULL, created_at, created_by, destroyed_at"
              + " FROM sf_secret_version WHERE secret_id = ? ORDER BY version DESC")) {
        ps.setObject(1, s.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.versionInfo(rs, s.activeVersion()));
          }
        }
      }
      return out;
    });
  }

  Page<SecretInfo> list(SecretContext context, SecretQuery query) {
    String tenant = Validation.tenant(context.tenantId());
    guard.requirePermitted(context, StoreOperation.READ_METADATA, null);
    StringBuilder sql = new StringBuilder("SELECT " + Rows.SECRET_COLUMNS
        + " FROM sf_secret s WHERE s.tenant = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenant);
    if (!query.prefix().isEmpty()) {
      sql.append(" AND s.name LIKE ? ESCAPE '!'");
      args.add(query.prefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    if (!query.includeDeleted()) {
      sql.append(" AND s.deleted_at IS NULL");
    }
    if (query.category() != null) {
      sql.append(" AND s.category = ?");
      args.add(query.category().code());
    }
    if (query.tagKey() != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM sf_secret_tag g WHERE g.secret_id = s.id"
          + " AND g.tag_key = ?");
      args.add(query.tagKey());
      if (query.tagValue() != null) {
        sql.append(" AND g.tag_value = ?");
        args.add(query.tagValue());
      }
      sql.append(')');
    }
    if (query.pageToken() != null) {
      sql.append(" AND s.name > ?");
      args.add(decodePageToken(query.pageToken()));
    }
    sql.append(" ORDER BY s.name LIMIT ?");
    args.add(query.pageSize() + 1);
    return db.query(c -> {
      List<SecretInfo> items = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(Rows.secretInfo(rs, Map.of()));
          }
        }
      }
      String next = null;
      if (items.size() > query.pageSize()) {
        items = items.subList(0, query.pageSize());
        next = Base64.getUrlEncoder().withoutPadding().encodeToString(
            items.get(items.size() - 1).name().getBytes(StandardCharsets.UTF_8));
      }
      return new Page<>(Rows.withTags(c, items), next);
    });
  }

  /** See {@link PlatformSecretStore#value}. */
  SecretValue value(SecretContext context, SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    Integer pinned = ref.version() == null ? null : StoreErrors.parseVersion(ref);
    String name = ref.name();
    return guard.run(context, AuditAction.READ_VALUE, StoreOperation.READ_VALUE, name, pinned, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = db.now();
      return db.inTransaction(c -> {
        String sql = "SELECT s.id, s.active_version, s.expires_at, s.deleted_at, v.version,"
            + " v.ciphertext, v.destroyed_at, t.keyset_revision, t.wrapped_keyset"
            + " FROM sf_secret s JOIN sf_tenant t ON t.tenant = s.tenant"
            + " LEFT JOIN sf_secret_version v ON v.secret_id = s.id AND v.version = "
            + (pinned == null ? "s.active_version" : "?")
            + " WHERE s.tenant = ? AND s.name = ?";
        UUID id;
        int version;
        Instant expiresAt;
        byte[] ciphertext;
        TenantKeyring.TenantKey key;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          int i = 1;
          if (pinned != null) {
            ps.setInt(i++, pinned);
          }
          ps.setString(i++, tenant);
          ps.setString(i, name);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw StoreErrors.notFound(name);
            }
            id = rs.getObject(1, UUID.class);
            int active = rs.getInt(2);
            expiresAt = Jdbc.instant(rs, 3);
            if (Jdbc.instant(rs, 4) != null) {
              throw new SecretException(SecretError.DELETED, ref.withoutField(),
                  "the secret was deleted", "Undelete the secret, or bind the slot to another one");
            }
            if (expiresAt != null && !now.isBefore(expiresAt)) {
              throw new SecretException(SecretError.EXPIRED, ref.withoutField(),
                  "the secret expired at " + expiresAt,
                  "Rotate the secret with a new value and a later expiry");
            }
            version = rs.getInt(5);
            if (rs.wasNull()) {
              throw new SecretException(SecretError.VERSION_NOT_FOUND, ref.withoutField(),
                  "the secret has no version " + pinned + " (active version " + active + ")",
                  "Pin an existing version, or remove the pin to use the active one");
            }
            ciphertext = rs.getBytes(6);
            if (ciphertext == null) {
              throw new SecretException(SecretError.DELETED, ref.withoutField(),
                  "version " + version + " was destroyed",
                  version == active
                      ? "Rotate the secret or roll it back to a version that still exists"
                      : "Pin a version that still exists, or remove the pin");
            }
            key = keyring.tenantKey(tenant, rs.getInt(8), rs.getBytes(9));
          }
        }
        byte[] plaintext;
        try {
          plaintext = TenantKeyring.open(key, tenant, id, version, ciphertext);
        } catch (GeneralSecurityException e) {
          log.warn("Decryption failed for secret id {} version {} in tenant '{}' (key id {})",
              id, version, tenant, Integer.toUnsignedString(Keysets.keyIdOf(ciphertext)));
          throw new SecretException(SecretError.DECRYPTION_FAILED, ref.withoutField(), null);
        }
        try {
          auditChain.append(c, List.of(guard.event(context, AuditAction.READ_VALUE, null, id, name,
              version, null)));
          c.commit(); // the audit event is durable before anyone sees the value
          return SecretValue.ofBytes(new SecretMetadata(ref.withoutField(),
              Integer.toString(version), now, expiresAt), plaintext);
        } finally {
          Arrays.fill(plaintext, (byte) 0);
        }
      });
    });
  }

  /** See {@link PlatformSecretStore#check}. */
  Map<SecretRef, SecretCheck> check(SecretContext context, Collection<SecretRef> refs) {
    String tenant = Validation.tenant(context.tenantId());
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    if (refs.isEmpty()) {
      return out;
    }
    Set<String> names = new TreeSet<>();
    Set<Integer> versions = new TreeSet<>();
    for (SecretRef r : refs) {
      names.add(r.name());
      if (r.version() != null) {
        try {
          versions.add(Integer.parseInt(r.version()));
        } catch (NumberFormatException ignored) {
          // reported per reference below
        }
      }
    }
    record Row(int active, Instant expiresAt, Instant deletedAt, Map<Integer, Boolean> destroyed) {}
    Map<String, Row> rows = db.query(c -> {
      String sql = "SELECT s.name, s.active_version, s.expires_at, s.deleted_at, v.version,"
          + " v.ciphertext IS NULL FROM sf_secret s LEFT JOIN sf_secret_version v"
          + " ON v.secret_id = s.id AND (v.version = s.active_version OR v.version = ANY (?))"
          + " WHERE s.tenant = ? AND s.name = ANY (?)";
      Map<String, Row> found = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setArray(1, c.createArrayOf("INTEGER", versions.toArray(new Integer[0])));
        ps.setString(2, tenant);
        ps.setArray(3, c.createArrayOf("VARCHAR", names.toArray(new String[0])));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Row row = found.computeIfAbsent(rs.getString(1), n -> {
              try {
                return new Row(rs.getInt(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4), new HashMap<>());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
            int v = rs.getInt(5);
            if (!rs.wasNull()) {
              row.destroyed().put(v, rs.getBoolean(6));
            }
          }
        }
      }
      return found;
    });
    Instant now = db.now();
    for (SecretRef r : refs) {
      SecretRef key = r;
      SecretException problem = null;
      Row row = rows.get(r.name());
      if (!guard.permits(context, StoreOperation.READ_VALUE, r.name())) {
        problem = StoreErrors.denied(r.name());
      } else if (row == null) {
        problem = new SecretException(SecretError.NOT_FOUND, r.withoutField(),
            "no such secret in this tenant", null);
      } else if (row.deletedAt() != null) {
        problem = new SecretException(SecretError.DELETED, r.withoutField(),
            "the secret was deleted", "Undelete the secret, or bind the slot to another one");
      } else if (row.expiresAt() != null && !now.isBefore(row.expiresAt())) {
        problem = new SecretException(SecretError.EXPIRED, r.withoutField(),
            "the secret expired at " + row.expiresAt(), null);
      } else {
        Integer v = null;
        if (r.version() == null) {
          v = row.active();
        } else {
          try {
            v = Integer.parseInt(r.version());
          } catch (NumberFormatException ignored) {
            // v stays null
          }
        }
        Boolean destroyed = v == null ? null : row.destroyed().get(v);
        if (destroyed == null) {
          problem = new SecretException(SecretError.VERSION_NOT_FOUND, r.withoutField(),
              "the secret has no version " + r.version() + " (active version " + row.active() + ")",
              null);
        } else if (destroyed) {
          problem = new SecretException(SecretError.DELETED, r.withoutField(),
              "version " + v + " was destroyed", null);
        }
      }
      out.put(key, problem == null ? SecretCheck.ok(key) : SecretCheck.failed(key, problem));
    }
    return out;
  }

  private static String decodePageToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Validation.invalid("page token is not one this store issued",
          "Pass the nextPageToken of the previous page unchanged");
    }
  }
}
