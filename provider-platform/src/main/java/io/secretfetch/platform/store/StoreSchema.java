package io.secretfetch.platform.store;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.crypto.internal.Keysets;
import io.secretfetch.platform.store.internal.Jdbc;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's schema and first opening: Flyway migrations, the master-key match, the audit key. */
final class StoreSchema {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);
  private static final String MIGRATIONS = "classpath:io/secretfetch/platform/db/migration";

  private StoreSchema() {}

  /**
   * Migrates the schema (Flyway, history table {@code sf_schema_history}).
   *
   * @throws org.flywaydb.core.api.FlywayException if the database refuses
   */
  static void migrate(DataSource ds) {
    Flyway.configure()
        .dataSource(ds)
        .locations(MIGRATIONS)
        .table("sf_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /**
   * Checks that {@code key} opens this store and returns the audit chain's MAC, creating its key
   * on first use (safe when several processes open a new store at once).
   */
  static Mac open(StoreDb db, MasterKey key, Supplier<Set<Integer>> masterKeyIdsInUse) {
    Set<Integer> inUse = masterKeyIdsInUse.get();
    Set<Integer> missing = new TreeSet<>(inUse);
    missing.removeAll(key.keyIds());
    if (!missing.isEmpty()) {
      throw new SecretException(SecretError.CONFIGURATION, null,
          "the master key does not match this store: the store's keys are wrapped with master"
              + " key id(s) " + StoreErrors.unsigned(missing) + ", the given master key holds "
              + StoreErrors.unsigned(key.keyIds()),
          "Open the store with the master key file or variable it was created with (or, during a"
              + " rotation, the new keyset that still holds the old key)");
    }
    byte[] wrapped = db.query(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT wrapped_keyset FROM sf_store_key WHERE key_name = ?")) {
        ps.setString(1, AuditChain.KEY_NAME);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    KeysetHandle macKeyset;
    if (wrapped == null) {
      try {
        macKeyset = Keysets.newMacKeyset();
        byte[] w = Keysets.wrapStoreKey(macKeyset, key, AuditChain.KEY_NAME);
        boolean inserted = db.inTransaction(c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO sf_store_key (key_name, wrapped_keyset, master_key_id, created_at)"
                  + " VALUES (?,?,?,?)")) {
            ps.setString(1, AuditChain.KEY_NAME);
            ps.setBytes(2, w);
            ps.setLong(3, Integer.toUnsignedLong(key.primaryKeyId()));
            ps.setObject(4, Jdbc.odt(db.now()));
            ps.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
              return false;
            }
            throw e;
          }
        });
        if (!inserted) { // another process initialised the store at the same moment
          return open(db, key, masterKeyIdsInUse);
        }
        log.info("Initialised a new platform secret store (audit chain key created)");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Tink could not create the audit key", e);
      }
    } else {
      try {
        macKeyset = Keysets.unwrapStoreKey(wrapped, key, AuditChain.KEY_NAME);
      } catch (GeneralSecurityException e) {
        throw StoreErrors.wrongMasterKey("the audit chain key");
      }
    }
    try {
      return Keysets.mac(macKeyset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not build the audit MAC", e);
    }
  }
}
