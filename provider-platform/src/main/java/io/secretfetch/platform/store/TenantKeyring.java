package io.secretfetch.platform.store;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.crypto.internal.Keysets;
import io.secretfetch.platform.store.internal.Jdbc;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' keysets: created on first write, wrapped and unwrapped with the master key, cached
 * per revision, and the one place values are sealed and opened with their associated data.
 */
final class TenantKeyring {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  private final StoreDb db;
  private final Map<String, TenantKey> tenantKeys = new ConcurrentHashMap<>();
  private volatile MasterKey master;

  TenantKeyring(StoreDb db, MasterKey master) {
    this.db = db;
    this.master = master;
  }

  /** A tenant's unwrapped keyset at a revision; {@code masterKeyId} is 0 unless locked. */
  record TenantKey(
      int revision, int masterKeyId, KeysetHandle keyset, Aead aead, int primaryKeyId) {}

  /** Creates the tenant's keyset if it has none; its own transaction, safe against races. */
  void ensureTenant(String tenant) {
    boolean exists = db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sf_tenant WHERE tenant = ?")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (exists) {
      return;
    }
    MasterKey key = master;
    KeysetHandle keyset;
    byte[] wrapped;
    try {
      keyset = Keysets.newTenantKeyset();
      wrapped = Keysets.wrapTenantKeyset(keyset, key, tenant);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not create a tenant keyset", e);
    }
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sf_tenant (tenant, wrapped_keyset, master_key_id, primary_key_id,"
              + " keyset_revision, created_at) VALUES (?,?,?,?,1,?)")) {
        ps.setString(1, tenant);
        ps.setBytes(2, wrapped);
        ps.setLong(3, Integer.toUnsignedLong(key.primaryKeyId()));
        ps.setLong(4, Integer.toUnsignedLong(keyset.getPrimary().getId()));
        ps.setObject(5, Jdbc.odt(db.now()));
        ps.executeUpdate();
        log.info("Created the keyset of tenant '{}'", tenant);
      } catch (SQLException e) {
        if (!Jdbc.isUniqueViolation(e)) {
          throw e;
        }
        c.rollback(); // created by a concurrent writer: fine
      }
      return null;
    });
  }

  /**
   * Locks the tenant row for the rest of the transaction and returns its key. Every write that
   * encrypts, and every key change, holds this lock, so no value is written under a key that a
   * concurrent re-encryption is retiring.
   */
  TenantKey lockTenant(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT keyset_revision, wrapped_keyset, master_key_id FROM sf_tenant WHERE tenant = ?"
            + " FOR UPDATE")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SecretException(SecretError.NOT_FOUND, null,
              "the tenant has no secrets yet", "Create a secret in this tenant first");
        }
        TenantKey k = tenantKey(tenant, rs.getInt(1), rs.getBytes(2));
        return new TenantKey(k.revision, (int) rs.getLong(3), k.keyset, k.aead, k.primaryKeyId);
      }
    }
  }

  TenantKey tenantKey(String tenant, int revision, byte[] wrapped) {
    TenantKey cached = tenantKeys.get(tenant);
    if (cached != null && cached.revision == revision) {
      return cached;
    }
    try {
      KeysetHandle keyset = Keysets.unwrapTenantKeyset(wrapped, master, tenant);
      TenantKey k = new TenantKey(revision, 0, keyset, Keysets.aead(keyset),
          keyset.getPrimary().getId());
      tenantKeys.put(tenant, k);
      return k;
    } catch (GeneralSecurityException e) {
      log.warn("The keyset of tenant '{}' cannot be unwrapped with the master key", tenant);
      throw new SecretException(SecretError.DECRYPTION_FAILED, null, null);
    }
  }

  void writeTenantKeyset(Connection c, String tenant, KeysetHandle keyset, int revision)
      throws SQLException {
    MasterKey key = master;
    byte[] wrapped;
    try {
      wrapped = Keysets.wrapTenantKeyset(keyset, key, tenant);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not wrap a tenant keyset", e);
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE sf_tenant SET wrapped_keyset = ?, master_key_id = ?, primary_key_id = ?,"
            + " keyset_revision = ?, rotated_at = ? WHERE tenant = ?")) {
      ps.setBytes(1, wrapped);
      ps.setLong(2, Integer.toUnsignedLong(key.primaryKeyId()));
      ps.setLong(3, Integer.toUnsignedLong(keyset.getPrimary().getId()));
      ps.setInt(4, revision);
      ps.setObject(5, Jdbc.odt(db.now()));
      ps.setString(6, tenant);
      ps.executeUpdate();
    }
    tenantKeys.remove(tenant);
  }

  /**
   * Encrypts version {@code version} of secret {@code id} under the tenant's primary key, bound
   * to tenant, secret and version by the associated data, so the ciphertext opens nowhere else.
   */
  static byte[] seal(TenantKey key, String tenant, UUID id, int version, byte[] plaintext) {
    try {
      return key.aead.encrypt(plaintext, Keysets.valueAssociatedData(tenant, id, version));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not encrypt a value", e);
    }
  }

  /** Decrypts what {@link #seal} wrote for the same tenant, secret and version. */
  static byte[] open(TenantKey key, String tenant, UUID id, int version, byte[] ciphertext)
      throws GeneralSecurityException {
    return key.aead.decrypt(ciphertext, Keysets.valueAssociatedData(tenant, id, version));
  }

  MasterKey master() {
    return master;
  }

  /** Wraps tenant keysets with {@code next} from now on (a master-key rotation). */
  void useMaster(MasterKey next) {
    this.master = next;
  }

  /** Forgets every unwrapped keyset (the store closes). */
  void clear() {
    tenantKeys.clear();
  }
}
