package io.secretfetch.platform.store;

import com.google.crypto.tink.KeysetHandle;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.crypto.internal.Keysets;
import io.secretfetch.platform.store.internal.Jdbc;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
 * Key changes: a tenant's new primary key, re-encryption onto it with retirement of unused keys,
 * and master-key rotation (re-wrapping tenant keysets and store keys).
 */
final class KeyRotation {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  private final StoreDb db;
  private final Guard guard;
  private final TenantKeyring keyring;
  private final AuditChain auditChain;
  private final Object masterRotation = new Object();

  KeyRotation(StoreDb db, Guard guard, TenantKeyring keyring, AuditChain auditChain) {
    this.db = db;
    this.guard = guard;
    this.keyring = keyring;
    this.auditChain = auditChain;
  }

  /** See {@link PlatformSecretStore#rotateTenantKey}. */
  int rotateTenantKey(SecretContext context) {
    return guard.run(context, AuditAction.ROTATE_TENANT_KEY, StoreOperation.MANAGE_KEYS, null, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      keyring.ensureTenant(tenant);
      return db.inTransaction(c -> {
        TenantKeyring.TenantKey cur = keyring.lockTenant(c, tenant);
        KeysetHandle next;
        try {
          next = Keysets.withNewPrimary(cur.keyset());
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not add a key to the tenant keyset", e);
        }
        int primary = next.getPrimary().getId();
        keyring.writeTenantKeyset(c, tenant, next, cur.revision() + 1);
        auditChain.append(c, List.of(guard.event(context, AuditAction.ROTATE_TENANT_KEY, null, null,
            null, null, "new primary key " + Integer.toUnsignedString(primary))));
        log.info("Rotated the key of tenant '{}': new primary key id {}", tenant,
            Integer.toUnsignedString(primary));
        return primary;
      });
    });
  }

  /** See {@link PlatformSecretStore#reencrypt}. */
  ReencryptResult reencrypt(SecretContext context, int batchSize,
      ReencryptResult.Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive but was " + batchSize);
    }
    return guard.run(context, AuditAction.REENCRYPT, StoreOperation.MANAGE_KEYS, null, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      keyring.ensureTenant(tenant);
      int pending = db.query(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*) FROM sf_secret_version v JOIN sf_secret s ON s.id = v.secret_id"
                + " JOIN sf_tenant t ON t.tenant = s.tenant WHERE s.tenant = ?"
                + " AND v.ciphertext IS NOT NULL AND v.key_id <> t.primary_key_id")) {
          ps.setString(1, tenant);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        }
      });
      int total = 0;
      while (true) {
        int done = db.inTransaction(c -> {
          TenantKeyring.TenantKey key = keyring.lockTenant(c, tenant);
          List<Object[]> batch = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT v.secret_id, v.version, v.ciphertext FROM sf_secret_version v"
                  + " JOIN sf_secret s ON s.id = v.secret_id WHERE s.tenant = ?"
                  + " AND v.ciphertext IS NOT NULL AND v.key_id <> ? ORDER BY v.secret_id, v.version"
                  + " LIMIT ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, Integer.toUnsignedLong(key.primaryKeyId()));
            ps.setInt(3, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                batch.add(new Object[] {rs.getObject(1, UUID.class), rs.getInt(2), rs.getBytes(3)});
              }
            }
          }
          if (batch.isEmpty()) {
            return 0;
          }
          try (PreparedStatement up = c.prepareStatement(
              "UPDATE sf_secret_version SET ciphertext = ?, key_id = ? WHERE secret_id = ? AND version = ?")) {
            for (Object[] row : batch) {
              UUID id = (UUID) row[0];
              int version = (Integer) row[1];
              byte[] plaintext;
              try {
                plaintext = TenantKeyring.open(key, tenant, id, version, (byte[]) row[2]);
              } catch (GeneralSecurityException e) {
                log.warn("Re-encryption skipped secret id {} version {}: it does not decrypt", id, version);
                throw new SecretException(SecretError.DECRYPTION_FAILED, null, null);
              }
              try {
                up.setBytes(1, TenantKeyring.seal(key, tenant, id, version, plaintext));
              } finally {
                Arrays.fill(plaintext, (byte) 0);
              }
              up.setLong(2, Integer.toUnsignedLong(key.primaryKeyId()));
              up.setObject(3, id);
              up.setInt(4, version);
              up.addBatch();
            }
            up.executeBatch();
          }
          auditChain.append(c, List.of(guard.event(context, AuditAction.REENCRYPT, null, null, null,
              null, batch.size() + " version(s) re-encrypted")));
          return batch.size();
        });
        total += done;
        if (done > 0) {
          listener.batchReencrypted(total, Math.max(pending, total));
        }
        if (done < batchSize) {
          break;
        }
      }
      int reencrypted = total;
      int retired = db.inTransaction(c -> {
        TenantKeyring.TenantKey key = keyring.lockTenant(c, tenant);
        Set<Integer> inUse = new HashSet<>();
        inUse.add(key.primaryKeyId());
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT DISTINCT v.key_id FROM sf_secret_version v JOIN sf_secret s"
                + " ON s.id = v.secret_id WHERE s.tenant = ? AND v.key_id IS NOT NULL")) {
          ps.setString(1, tenant);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              inUse.add((int) rs.getLong(1));
            }
          }
        }
        int before = key.keyset().size();
        if (before == inUse.size()) {
          return 0;
        }
        KeysetHandle pruned;
        try {
          pruned = Keysets.retain(key.keyset(), inUse);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not remove retired keys", e);
        }
        keyring.writeTenantKeyset(c, tenant, pruned, key.revision() + 1);
        int n = before - pruned.size();
        auditChain.append(c, List.of(guard.event(context, AuditAction.REENCRYPT, null, null, null, null,
            n + " retired key(s) removed")));
        return n;
      });
      log.info("Re-encrypted {} version(s) of tenant '{}' and retired {} key(s)", reencrypted,
          tenant, retired);
      return new ReencryptResult(reencrypted, retired);
    });
  }

  /** See {@link PlatformSecretStore#rotateMasterKey}. */
  MasterKeyRotation rotateMasterKey(MasterKey next, MasterKeyRotation.Listener listener) {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(listener, "listener");
    synchronized (masterRotation) {
      Set<Integer> inUse = masterKeyIdsInUse();
      Set<Integer> missing = new TreeSet<>(inUse);
      missing.removeAll(next.keyIds());
      if (!missing.isEmpty()) {
        throw new SecretException(SecretError.CONFIGURATION, null,
            "the new master keyset lacks key(s) " + StoreErrors.unsigned(missing)
                + " that still wrap tenant keys",
            "Build the new master key with MasterKey.withNewPrimaryKey() from the current one, so"
                + " it keeps the old key until every tenant is re-wrapped");
      }
      keyring.useMaster(next);
      int primary = next.primaryKeyId();
      long primaryStored = Integer.toUnsignedLong(primary);
      SecretContext system = SecretContext.system();
      int storeKeys = db.inTransaction(c -> {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT key_name, wrapped_keyset FROM sf_store_key WHERE master_key_id <> ? FOR UPDATE")) {
          ps.setLong(1, primaryStored);
          Map<String, byte[]> rows = new LinkedHashMap<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.put(rs.getString(1), rs.getBytes(2));
            }
          }
          for (Map.Entry<String, byte[]> e : rows.entrySet()) {
            byte[] rewrapped;
            try {
              KeysetHandle h = Keysets.unwrapStoreKey(e.getValue(), next, e.getKey());
              rewrapped = Keysets.wrapStoreKey(h, next, e.getKey());
            } catch (GeneralSecurityException ex) {
              throw StoreErrors.wrongMasterKey("store key '" + e.getKey() + "'");
            }
            try (PreparedStatement up = c.prepareStatement(
                "UPDATE sf_store_key SET wrapped_keyset = ?, master_key_id = ?, rewrapped_at = ?"
                    + " WHERE key_name = ?")) {
              up.setBytes(1, rewrapped);
              up.setLong(2, primaryStored);
              up.setObject(3, Jdbc.odt(db.now()));
              up.setString(4, e.getKey());
              up.executeUpdate();
            }
            n++;
          }
        }
        if (n > 0) {
          auditChain.append(c, List.of(guard.event(system, AuditAction.ROTATE_MASTER_KEY, null, null,
              null, null, n + " store key(s) re-wrapped with master key "
                  + Integer.toUnsignedString(primary))));
        }
        return n;
      });
      List<String> pending = new ArrayList<>();
      int current = 0;
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement(
              "SELECT tenant, master_key_id FROM sf_tenant ORDER BY tenant");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(2) == primaryStored) {
            current++;
          } else {
            pending.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        throw Jdbc.unavailable(e);
      }
      int done = 0;
      for (String tenant : pending) {
        boolean changed = db.inTransaction(c -> {
          TenantKeyring.TenantKey key = keyring.lockTenant(c, tenant);
          if (key.masterKeyId() == primary) {
            return false;
          }
          keyring.writeTenantKeyset(c, tenant, key.keyset(), key.revision());
          auditChain.append(c, List.of(guard.event(system, AuditAction.ROTATE_MASTER_KEY, null,
              null, null, null, "tenant keyset '" + tenant + "' re-wrapped with master key "
                  + Integer.toUnsignedString(primary))));
          return true;
        });
        if (changed) {
          done++;
        } else {
          current++;
        }
        listener.tenantRewrapped(Rows.tenantOut(tenant), done, pending.size());
      }
      log.info("Master key rotation: {} tenant keyset(s) and {} store key(s) re-wrapped with"
          + " master key {}", done, storeKeys, Integer.toUnsignedString(primary));
      return new MasterKeyRotation(primary, done, current, storeKeys);
    }
  }

  /** See {@link PlatformSecretStore#masterKeyIdsInUse}. */
  Set<Integer> masterKeyIdsInUse() {
    return db.query(c -> {
      Set<Integer> ids = new TreeSet<>();
      try (PreparedStatement ps = c.prepareStatement(
              "SELECT master_key_id FROM sf_tenant UNION SELECT master_key_id FROM sf_store_key");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add((int) rs.getLong(1));
        }
      }
      return ids;
    });
  }
}
