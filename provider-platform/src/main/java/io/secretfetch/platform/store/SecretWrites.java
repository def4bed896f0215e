package io.secretfetch.platform.store;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.store.internal.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's writes: batches of creates and rotations, metadata, delete, purge, destroy and
 * rollback. Each write's audit event is part of the write's transaction; a failure is audited
 * against the write that caused it.
 */
final class SecretWrites {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  private final StoreDb db;
  private final Guard guard;
  private final TenantKeyring keyring;
  private final AuditChain auditChain;

  SecretWrites(StoreDb db, Guard guard, TenantKeyring keyring, AuditChain auditChain) {
    this.db = db;
    this.guard = guard;
    this.keyring = keyring;
    this.auditChain = auditChain;
  }

  List<WriteResult> write(SecretContext context, WriteBatch batch) {
    Objects.requireNonNull(context, "context");
    List<WriteBatch.Entry> entries = Objects.requireNonNull(batch, "batch").entries();
    if (entries.isEmpty()) {
      return List.of();
    }
    List<String> created = entries.stream().filter(e -> e.create() != null)
        .map(WriteBatch.Entry::name).toList();
    byte[][] generated = new byte[entries.size()][];
    try {
      String tenant = Validation.tenant(context.tenantId());
      if (entries.size() > StoreLimits.MAX_BATCH) {
        throw Validation.invalid(
            "batch has " + entries.size() + " writes; the limit is " + StoreLimits.MAX_BATCH,
            "Split the import into batches of at most " + StoreLimits.MAX_BATCH);
      }
      Instant now = db.now();
      Set<String> names = new HashSet<>();
      for (WriteBatch.Entry e : entries) {
        if (!guard.permits(context, StoreOperation.MANAGE, e.name())) {
          throw StoreErrors.denied(e.name());
        }
        validate(e, now);
        if (!names.add(e.name())) {
          throw new SecretException(SecretError.CONFLICT, StoreErrors.ref(e.name(), null),
              "the batch names this secret twice", "Give each secret in a batch one write only");
        }
      }
      if (!created.isEmpty()) {
        keyring.ensureTenant(tenant);
      }
      SecretInfo[] written = db.inTransaction(c -> {
        TenantKeyring.TenantKey key = keyring.lockTenant(c, tenant);
        SecretInfo[] infos = new SecretInfo[entries.size()];
        List<AuditChain.Entry> events = new ArrayList<>(entries.size());
        if (!created.isEmpty()) {
          insertSecrets(c, key, tenant, context, now, entries, infos, generated, events);
        }
        for (int i = 0; i < entries.size(); i++) {
          if (entries.get(i).rotation() != null) {
            infos[i] = addVersion(c, key, tenant, context, now, entries.get(i), i, generated, events);
          }
        }
        auditChain.append(c, events);
        return infos;
      });
      // Hand each generated value to its result, once, after the commit.
      List<WriteResult> out = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        SecretInfo info = written[i];
        Optional<SecretValue> value = generated[i] == null ? Optional.empty()
            : Optional.of(valueOf(info.name(), info.activeVersion(), info.expiresAt(), generated[i]));
        out.add(new WriteResult(info, info.activeVersion(), value));
      }
      if (log.isDebugEnabled()) {
        log.debug("Wrote {} secret(s) in tenant '{}', first '{}'", out.size(), tenant,
            entries.get(0).name());
      }
      return out;
    } catch (SecretException e) {
      wipe(generated);
      SecretException failure = e;
      if (e.error() == SecretError.CONFLICT && e.ref() == null && created.size() == 1) {
        // A unique violation names no secret; with one create it can only be that one.
        failure = new SecretException(SecretError.CONFLICT, StoreErrors.ref(created.get(0), null), e.detail(),
            e.remedy());
      }
      WriteBatch.Entry culprit = culprit(entries, failure);
      guard.auditFailure(context, culprit.action(), culprit.name(),
          culprit.rotation() == null ? null : culprit.rotation().expectedVersion(), failure);
      throw failure;
    } catch (RuntimeException e) {
      wipe(generated);
      throw e;
    }
  }

  /** Checks one write's input before anything is written. */
  private static void validate(WriteBatch.Entry e, Instant now) {
    Validation.name(e.name());
    if (!e.value().generated()) {
      Validation.valueSize(e.value().size());
    }
    if (e.create() != null) {
      NewSecret s = e.create();
      Validation.description(s.description());
      Validation.owner(s.owner());
      Validation.tags(s.tags());
      Validation.expiry(s.expiresAt(), now);
    } else if (e.rotation().expiresAt() != null) {
      e.rotation().expiresAt().ifPresent(x -> Validation.expiry(x, now));
    }
  }

  /** The write a failure names, else the first: the one its audit event is filed under. */
  private static WriteBatch.Entry culprit(List<WriteBatch.Entry> entries, SecretException e) {
    if (e.ref() != null) {
      for (WriteBatch.Entry x : entries) {
        if (x.name() != null && x.name().equals(e.ref().name())) {
          return x;
        }
      }
    }
    return entries.get(0);
  }

  /** Inserts the batch's new secrets with their version 1, in one round of JDBC batches. */
  private void insertSecrets(Connection c, TenantKeyring.TenantKey key, String tenant, SecretContext context,
      Instant now, List<WriteBatch.Entry> entries, SecretInfo[] infos, byte[][] generated,
      List<AuditChain.Entry> events) throws SQLException {
    try (PreparedStatement insSecret = c.prepareStatement(
            "INSERT INTO sf_secret (id, tenant, name, description, owner, category,"
                + " expires_at, active_version, latest_version, created_at, created_by,"
                + " updated_at) VALUES (?,?,?,?,?,?,?,NULL,1,?,?,?)");
        PreparedStatement insVersion = c.prepareStatement(
            "INSERT INTO sf_secret_version (secret_id, version, ciphertext, key_id,"
                + " created_at, created_by) VALUES (?,1,?,?,?,?)");
        PreparedStatement insTag = c.prepareStatement(
            "INSERT INTO sf_secret_tag (secret_id, tag_key, tag_value) VALUES (?,?,?)");
        PreparedStatement activate = c.prepareStatement(
            "UPDATE sf_secret SET active_version = 1 WHERE id = ?")) {
      for (int n = 0; n < entries.size(); n++) {
        NewSecret s = entries.get(n).create();
        if (s == null) {
          continue;
        }
        UUID id = UUID.randomUUID();
        byte[] ciphertext = seal(key, tenant, id, 1, s.value(), generated, n);
        int i = 1;
        insSecret.setObject(i++, id);
        insSecret.setString(i++, tenant);
        insSecret.setString(i++, s.name());
        insSecret.setString(i++, s.description());
        insSecret.setString(i++, s.owner());
        insSecret.setString(i++, s.category().code());
        insSecret.setObject(i++, Jdbc.odt(s.expiresAt()));
        insSecret.setObject(i++, Jdbc.odt(now));
        insSecret.setString(i++, context.actor());
        insSecret.setObject(i, Jdbc.odt(now));
        insSecret.addBatch();
        insVersion.setObject(1, id);
        insVersion.setBytes(2, ciphertext);
        insVersion.setLong(3, Integer.toUnsignedLong(key.primaryKeyId()));
        insVersion.setObject(4, Jdbc.odt(now));
        insVersion.setString(5, context.actor());
        insVersion.addBatch();
        for (Map.Entry<String, String> t : s.tags().entrySet()) {
          insTag.setObject(1, id);
          insTag.setString(2, t.getKey());
          insTag.setString(3, t.getValue());
          insTag.addBatch();
        }
        activate.setObject(1, id);
        activate.addBatch();
        infos[n] = new SecretInfo(id, Rows.tenantOut(tenant), s.name(), s.description(), s.owner(),
            s.category(), s.tags(), s.expiresAt(), 1, 1, now, context.actor(), now, null);
        events.add(guard.event(context, AuditAction.CREATE, null, id, s.name(), 1, null));
      }
      insSecret.executeBatch();
      insVersion.executeBatch();
      insTag.executeBatch();
      activate.executeBatch();
    }
  }

  /** Adds the next version of an existing secret and makes it active. */
  private SecretInfo addVersion(Connection c, TenantKeyring.TenantKey key, String tenant, SecretContext context,
      Instant now, WriteBatch.Entry entry, int index, byte[][] generated,
      List<AuditChain.Entry> events) throws SQLException {
    String name = entry.name();
    Rotation rotation = entry.rotation();
    SecretInfo current = Rows.lockSecret(c, tenant, name);
    Rows.requireLive(current);
    CheckAndSet.require(name, rotation.expectedVersion(), current,
        "Read the current version and retry the rotation against it");
    int version = current.latestVersion() + 1;
    byte[] ciphertext = seal(key, tenant, current.id(), version, rotation.value(), generated, index);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO sf_secret_version (secret_id, version, ciphertext, key_id, created_at,"
            + " created_by) VALUES (?,?,?,?,?,?)")) {
      ps.setObject(1, current.id());
      ps.setInt(2, version);
      ps.setBytes(3, ciphertext);
      ps.setLong(4, Integer.toUnsignedLong(key.primaryKeyId()));
      ps.setObject(5, Jdbc.odt(now));
      ps.setString(6, context.actor());
      ps.executeUpdate();
    }
    Instant expiresAt = rotation.expiresAt() == null ? current.expiresAt()
        : rotation.expiresAt().orElse(null);
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE sf_secret SET active_version = ?, latest_version = ?, expires_at = ?,"
            + " updated_at = ? WHERE id = ?")) {
      ps.setInt(1, version);
      ps.setInt(2, version);
      ps.setObject(3, Jdbc.odt(expiresAt));
      ps.setObject(4, Jdbc.odt(now));
      ps.setObject(5, current.id());
      ps.executeUpdate();
    }
    events.add(guard.event(context, AuditAction.ROTATE, null, current.id(), name, version,
        "previous active version " + current.activeVersion()));
    return Rows.withVersions(current, version, version, expiresAt, now);
  }

  /**
   * Encrypts a write's value for version {@code version} of secret {@code id}. A given value's
   * plaintext copy is wiped at once; a generated one is kept in {@code generated[index]} to be
   * returned after the commit.
   */
  private byte[] seal(TenantKeyring.TenantKey key, String tenant, UUID id, int version, SecretMaterial material,
      byte[][] generated, int index) {
    byte[] plaintext = plaintextOf(material);
    try {
      return TenantKeyring.seal(key, tenant, id, version, plaintext);
    } finally {
      if (material.generated()) {
        generated[index] = plaintext;
      } else {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  private static void wipe(byte[][] values) {
    for (byte[] v : values) {
      if (v != null) {
        Arrays.fill(v, (byte) 0);
      }
    }
  }

  SecretInfo updateMetadata(SecretContext context, String name, MetadataUpdate update) {
    Objects.requireNonNull(update, "update");
    return guard.run(context, AuditAction.UPDATE_METADATA, StoreOperation.MANAGE, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = db.now();
      if (update.description() != null) {
        Validation.description(update.description().orElse(null));
      }
      if (update.owner() != null) {
        Validation.owner(update.owner().orElse(null));
      }
      if (update.tags() != null) {
        Validation.tags(update.tags());
      }
      if (update.expiresAt() != null) {
        update.expiresAt().ifPresent(e -> Validation.expiry(e, now));
      }
      return db.inTransaction(c -> {
        keyring.lockTenant(c, tenant);
        SecretInfo cur = Rows.lockSecret(c, tenant, name);
        String description = update.description() == null ? cur.description()
            : update.description().orElse(null);
        String owner = update.owner() == null ? cur.owner() : update.owner().orElse(null);
        SecretCategory category = update.category() == null ? cur.category() : update.category();
        Instant expiresAt = update.expiresAt() == null ? cur.expiresAt()
            : update.expiresAt().orElse(null);
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret SET description = ?, owner = ?, category = ?, expires_at = ?,"
                + " updated_at = ? WHERE id = ?")) {
          ps.setString(1, description);
          ps.setString(2, owner);
          ps.setString(3, category.code());
          ps.setObject(4, Jdbc.odt(expiresAt));
          ps.setObject(5, Jdbc.odt(now));
          ps.setObject(6, cur.id());
          ps.executeUpdate();
        }
        Map<String, String> tags = cur.tags();
        if (update.tags() != null) {
          tags = update.tags();
          try (PreparedStatement del = c.prepareStatement(
                  "DELETE FROM sf_secret_tag WHERE secret_id = ?");
              PreparedStatement ins = c.prepareStatement(
                  "INSERT INTO sf_secret_tag (secret_id, tag_key, tag_value) VALUES (?,?,?)")) {
            del.setObject(1, cur.id());
            del.executeUpdate();
            for (Map.Entry<String, String> t : tags.entrySet()) {
              ins.setObject(1, cur.id());
              ins.setString(2, t.getKey());
              ins.setString(3, t.getValue());
              ins.addBatch();
            }
            ins.executeBatch();
          }
        }
        auditChain.append(c, List.of(guard.event(context, AuditAction.UPDATE_METADATA, null, cur.id(),
            name, null, "changed " + update)));
        return new SecretInfo(cur.id(), cur.tenantId(), name, description, owner, category, tags,
            expiresAt, cur.activeVersion(), cur.latestVersion(), cur.createdAt(), cur.createdBy(),
            now, cur.deletedAt());
      });
    });
  }

  SecretInfo setDeleted(SecretContext context, String name, boolean delete) {
    AuditAction action = delete ? AuditAction.DELETE : AuditAction.UNDELETE;
    return guard.run(context, action, StoreOperation.MANAGE, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = db.now();
      return db.inTransaction(c -> {
        keyring.lockTenant(c, tenant);
        SecretInfo cur = Rows.lockSecret(c, tenant, name);
        if (cur.deleted() == delete) {
          auditChain.append(c, List.of(guard.event(context, action, null, cur.id(), name, null,
              delete ? "already deleted" : "was not deleted")));
          return cur;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret SET deleted_at = ?, updated_at = ? WHERE id = ?")) {
          ps.setObject(1, delete ? Jdbc.odt(now) : null);
          ps.setObject(2, Jdbc.odt(now));
          ps.setObject(3, cur.id());
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(guard.event(context, action, null, cur.id(), name, null, null)));
        return new SecretInfo(cur.id(), cur.tenantId(), name, cur.description(), cur.owner(),
            cur.category(), cur.tags(), cur.expiresAt(), cur.activeVersion(),
            cur.latestVersion(), cur.createdAt(), cur.createdBy(), now, delete ? now : null);
      });
    });
  }

  /** See {@link PlatformSecretStore#purge}. */
  void purge(SecretContext context, String name) {
    guard.run(context, AuditAction.PURGE, StoreOperation.DESTROY, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      return db.inTransaction(c -> {
        keyring.lockTenant(c, tenant);
        SecretInfo cur = Rows.lockSecret(c, tenant, name);
        if (!cur.deleted()) {
          throw new SecretException(SecretError.CONFLICT, StoreErrors.ref(name, null),
              "only a deleted secret can be purged", "Delete the secret first, then purge it");
        }
        try (PreparedStatement unlink = c.prepareStatement(
                "UPDATE sf_secret SET active_version = NULL WHERE id = ?");
            PreparedStatement del = c.prepareStatement("DELETE FROM sf_secret WHERE id = ?")) {
          unlink.setObject(1, cur.id());
          unlink.executeUpdate();
          del.setObject(1, cur.id());
          del.executeUpdate();
        }
        auditChain.append(c, List.of(guard.event(context, AuditAction.PURGE, null, cur.id(), name, null,
            cur.latestVersion() + " version(s) removed")));
        return null;
      });
    });
  }

  /** See {@link PlatformSecretStore#destroyVersion}. */
  VersionInfo destroyVersion(SecretContext context, String name, int version) {
    return guard.run(context, AuditAction.DESTROY_VERSION, StoreOperation.DESTROY, name, version, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Validation.version(version);
      Instant now = db.now();
      return db.inTransaction(c -> {
        keyring.lockTenant(c, tenant);
        SecretInfo cur = Rows.lockSecret(c, tenant, name);
        VersionInfo v = Rows.versionRow(c, cur, version)
            .orElseThrow(() -> StoreErrors.versionNotFound(name, version, cur));
        if (v.state() == VersionState.DESTROYED) {
          auditChain.append(c, List.of(guard.event(context, AuditAction.DESTROY_VERSION, null, cur.id(),
              name, version, "already destroyed")));
          return v;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret_version SET ciphertext = NULL, key_id = NULL, destroyed_at = ?"
                + " WHERE secret_id = ? AND version = ?")) {
          ps.setObject(1, Jdbc.odt(now));
          ps.setObject(2, cur.id());
          ps.setInt(3, version);
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(guard.event(context, AuditAction.DESTROY_VERSION, null, cur.id(),
            name, version, version == cur.activeVersion() ? "the active version" : null)));
        return new VersionInfo(version, VersionState.DESTROYED, v.createdAt(), v.createdBy(), now);
      });
    });
  }

  /** See {@link PlatformSecretStore#rollback}. */
  SecretInfo rollback(SecretContext context, String name, int version, Integer expectedVersion) {
    return guard.run(context, AuditAction.ROLLBACK, StoreOperation.MANAGE, name, version, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Validation.version(version);
      Instant now = db.now();
      return db.inTransaction(c -> {
        keyring.lockTenant(c, tenant);
        SecretInfo cur = Rows.lockSecret(c, tenant, name);
        Rows.requireLive(cur);
        CheckAndSet.require(name, expectedVersion, cur,
            "Read the current version and retry the rollback against it");
        VersionInfo v = Rows.versionRow(c, cur, version)
            .orElseThrow(() -> StoreErrors.versionNotFound(name, version, cur));
        if (v.state() == VersionState.DESTROYED) {
          throw new SecretException(SecretError.DELETED, StoreErrors.ref(name, Integer.toString(version)),
              "version " + version + " was destroyed and cannot become active",
              "Roll back to a version that still exists, or rotate to a new value");
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret SET active_version = ?, updated_at = ? WHERE id = ?")) {
          ps.setInt(1, version);
          ps.setObject(2, Jdbc.odt(now));
          ps.setObject(3, cur.id());
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(guard.event(context, AuditAction.ROLLBACK, null, cur.id(), name,
            version, "previous active version " + cur.activeVersion())));
        return Rows.withVersions(cur, version, cur.latestVersion(), cur.expiresAt(), now);
      });
    });
  }

  /** A fresh copy of the given value, or a newly generated one; the caller wipes it. */
  private static byte[] plaintextOf(SecretMaterial material) {
    if (!material.generated()) {
      return material.copyBytes();
    }
    char[] chars = material.spec().generate();
    try {
      java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      if (b.hasArray()) {
        Arrays.fill(b.array(), (byte) 0);
      }
      return bytes;
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private SecretValue valueOf(String name, int version, Instant expiresAt, byte[] bytes) {
    try {
      return SecretValue.ofBytes(new SecretMetadata(new SecretRef("platform", name, null, null),
          Integer.toString(version), db.now(), expiresAt), bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
