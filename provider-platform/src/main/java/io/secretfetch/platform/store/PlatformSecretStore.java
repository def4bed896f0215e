package io.secretfetch.platform.store;

import com.google.crypto.tink.Mac;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.audit.AuditLog;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.auth.Credentials;
import io.secretfetch.platform.crypto.MasterKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform secret store: encrypted, versioned, audited secrets on H2 or PostgreSQL.
 *
 * <h2>Model</h2>
 *
 * A secret has metadata (name unique per tenant, description, owner, category, tags, optional
 * expiry) and immutable numbered versions; the secret row points at its one active version.
 * Writes may be check-and-set ({@link Rotation.Builder#expectedVersion}): a writer that lost a race
 * gets {@code CONFLICT}, never a silent overwrite. Delete is soft and can be undone; {@link
 * #destroyVersion} removes a version's ciphertext for good; {@link #rollback} points the secret at
 * an older version again.
 *
 * <h2>Crypto</h2>
 *
 * Every tenant has its own Tink AES256-GCM keyset, stored wrapped by the {@link MasterKey}. A value
 * is encrypted with associated data binding tenant, secret id and version, so a ciphertext moved
 * anywhere else fails to decrypt. Master-key rotation re-wraps tenant keysets only; tenant-key
 * rotation adds a primary key, and {@link #reencrypt} moves old versions onto it.
 *
 * <h2>Audit</h2>
 *
 * Every write, every value read and every failed attempt is an event in an HMAC-chained log
 * ({@link #audit()}). A write's event is part of the write's transaction. A value read commits its
 * event before the value is returned: if the event cannot be written, no value is returned.
 *
 * <h2>Errors</h2>
 *
 * Every failure is a {@link SecretException}: {@code NOT_FOUND}, {@code VERSION_NOT_FOUND}, {@code
 * DELETED}, {@code EXPIRED}, {@code DECRYPTION_FAILED} (which carries no detail), {@code
 * ACCESS_DENIED}, {@code CONFLICT}, {@code INVALID_INPUT} (naming the field, the limit and the
 * fix), {@code PROVIDER_UNAVAILABLE} (database failures) and {@code CONFIGURATION}. No message
 * ever holds a value.
 *
 * <h2>Layout</h2>
 *
 * This class checks the arguments users pass and delegates; each concern lives in one
 * package-private class behind it: {@code SecretWrites}, {@code SecretReads}, {@code KeyRotation},
 * {@code TenantKeyring} (wrapping, sealing and opening with associated data), {@code Rows},
 * {@code StoreSchema}, {@code Guard} (policy and failure audit), {@code CheckAndSet} and
 * {@code StoreErrors}.
 *
 * <p>All methods are safe for concurrent use, also by several processes sharing one database.
 * Tenant ids come from the {@link SecretContext}; null is the default tenant.
 */
public final class PlatformSecretStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  /** The file name of the embedded default's master key inside its data directory. */
  public static final String MASTER_KEY_FILE = "master-key.json";

  private final HikariDataSource ownedPool;
  private final TenantKeyring keyring;
  private final AuditChain auditChain;
  private final Credentials credentials;
  private final SecretWrites writes;
  private final SecretReads reads;
  private final KeyRotation keys;
  private volatile Mac auditMac;

  private PlatformSecretStore(Builder b, DataSource dataSource, HikariDataSource ownedPool) {
    this.ownedPool = ownedPool;
    StoreDb db = new StoreDb(dataSource, b.clock);
    this.keyring = new TenantKeyring(db, b.masterKey);
    this.auditChain = new AuditChain(dataSource, () -> auditMac);
    this.credentials = new Credentials(dataSource, auditChain, b.clock);
    Guard guard = new Guard(db, b.policy, auditChain);
    this.writes = new SecretWrites(db, guard, keyring, auditChain);
    this.reads = new SecretReads(db, guard, keyring, auditChain);
    this.keys = new KeyRotation(db, guard, keyring, auditChain);
    this.auditMac = StoreSchema.open(db, b.masterKey, keys::masterKeyIdsInUse);
  }


  public static Builder builder() {
    return new Builder();
  }

  /**
   * The embedded default: an H2 file database and a master key file under {@code dataDirectory},
   * both created on first use (the directory and key file readable by the owner only).
   */
  public static PlatformSecretStore embedded(Path dataDirectory) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    try {
      if (!Files.isDirectory(dir)) {
        if (Files.getFileAttributeView(dir.getParent(), PosixFileAttributeView.class) != null) {
          Files.createDirectories(
              dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
        log.info("Created the platform store data directory {}", dir);
      }
    } catch (IOException e) {
      throw new SecretException(
          SecretError.CONFIGURATION,
          null,
          "the data directory " + dir + " cannot be created (" + e + ")",
          "Point the store at a writable directory");
    }
    MasterKey key = MasterKey.loadOrCreate(dir.resolve(MASTER_KEY_FILE));
    PlatformSecretStore store =
        builder().jdbcUrl(h2FileUrl(dir.resolve("store"))).masterKey(key).build();
    log.info("Platform secret store opened on H2 at {} with master key file {}", dir,
        dir.resolve(MASTER_KEY_FILE));
    return store;
  }

  /** The JDBC URL of an H2 file database as the store uses it. */
  public static String h2FileUrl(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=20000;DB_CLOSE_ON_EXIT=FALSE";
  }

  /**
   * The HTTPS API's credentials in this store's database: API keys (create, revoke, list), used
   * service token ids, and audit events of refused requests.
   */
  public Credentials credentials() {
    return credentials;
  }

  /** The audit trail: queries and chain verification. */
  public AuditLog audit() {
    return auditChain;
  }

  /**
   * Creates a secret with its version 1.
   *
   * @throws SecretException {@code CONFLICT} if the name exists in the tenant (also when that
   *     secret is soft-deleted: undelete or purge it first), {@code INVALID_INPUT} for a broken
   *     limit, {@code ACCESS_DENIED}
   */
  public WriteResult create(SecretContext context, NewSecret secret) {
    return write(context, WriteBatch.builder().create(secret).build()).get(0);
  }

  /**
   * Creates several secrets in one transaction: all or none. For imports and migrations; each
   * secret gets its own audit event.
   */
  public List<WriteResult> createAll(SecretContext context, List<NewSecret> secrets) {
    return write(context, WriteBatch.creating(secrets));
  }

  /**
   * Adds a version and makes it active.
   *
   * @throws SecretException {@code CONFLICT} when a check-and-set finds another active version,
   *     {@code NOT_FOUND}, {@code DELETED} (undelete first), {@code INVALID_INPUT}
   */
  public WriteResult rotate(SecretContext context, String name, Rotation rotation) {
    Objects.requireNonNull(rotation, "rotation");
    return write(context, WriteBatch.builder().rotate(name, rotation).build()).get(0);
  }

  /**
   * Applies creates and rotations in one transaction: all of them, or none. Each write is checked
   * as {@link #create} and {@link #rotate} check it and gets its own audit event in the same
   * transaction. A name that exists, a rotation of a missing or deleted secret, a check-and-set
   * that loses, a broken limit or a database failure rolls the whole batch back; the failure is
   * audited against the write that caused it. A secret may appear once per batch.
   *
   * @return one result per write, in the batch's order; generated values are returned this once
   */
  public List<WriteResult> write(SecretContext context, WriteBatch batch) {
    return writes.write(context, batch);
  }


  /** Changes metadata; fields the update does not set stay as they are. */
  public SecretInfo updateMetadata(SecretContext context, String name, MetadataUpdate update) {
    return writes.updateMetadata(context, name, update);
  }

  /** Soft-deletes: the secret can no longer be read, listed or rotated until undeleted. */
  public SecretInfo delete(SecretContext context, String name) {
    return writes.setDeleted(context, name, true);
  }

  /** Undoes a soft delete. */
  public SecretInfo undelete(SecretContext context, String name) {
    return writes.setDeleted(context, name, false);
  }


  /**
   * Removes a soft-deleted secret for good, with every version and tag. The audit trail keeps its
   * events.
   *
   * @throws SecretException {@code CONFLICT} if the secret is not soft-deleted first
   */
  public void purge(SecretContext context, String name) {
    writes.purge(context, name);
  }


  /**
   * Destroys a version's ciphertext; its number and dates stay. Destroying the active version is
   * allowed (a leaked value): reads then fail with {@code DELETED} until a rotate or rollback.
   */
  public VersionInfo destroyVersion(SecretContext context, String name, int version) {
    return writes.destroyVersion(context, name, version);
  }


  /**
   * Makes an older version active again. With {@code expectedVersion} it is a check-and-set like
   * {@link Rotation.Builder#expectedVersion}.
   */
  public SecretInfo rollback(SecretContext context, String name, int version, Integer expectedVersion) {
    return writes.rollback(context, name, version, expectedVersion);
  }


  /** A secret's metadata, deleted or not; readable also after it expired. */
  public SecretInfo metadata(SecretContext context, String name) {
    return reads.metadata(context, name);
  }


  /** Every version of a secret, newest first, without values. */
  public List<VersionInfo> versions(SecretContext context, String name) {
    return reads.versions(context, name);
  }


  /** Names and metadata of a tenant's secrets, filtered and paged; never values. */
  public Page<SecretInfo> list(SecretContext context, SecretQuery query) {
    return reads.list(context, query);
  }

  /** The active version's value; see {@link #value(SecretContext, SecretRef)}. */
  public SecretValue value(SecretContext context, String name) {
    return value(context, new SecretRef("platform", name, null, null));
  }

  /** A pinned version's value; see {@link #value(SecretContext, SecretRef)}. */
  public SecretValue value(SecretContext context, String name, int version) {
    return value(context, new SecretRef("platform", name, Integer.toString(version), null));
  }


  /**
   * Reads a value: the active version when {@code ref.version()} is null, else that version. The
   * read is audited and the event committed before the value is returned; if the event cannot be
   * written, the read fails and no value is returned. Only the reference's name and version are
   * used; the returned value's metadata carries {@code ref} as given.
   *
   * @throws SecretException {@code NOT_FOUND}, {@code VERSION_NOT_FOUND}, {@code DELETED} (secret
   *     deleted or version destroyed), {@code EXPIRED}, {@code DECRYPTION_FAILED}, {@code
   *     ACCESS_DENIED}, {@code PROVIDER_UNAVAILABLE} (database, including the audit write)
   */
  public SecretValue value(SecretContext context, SecretRef ref) {
    return reads.value(context, ref);
  }


  /**
   * Checks references without reading or auditing values: does each exist, is it live, unexpired,
   * is the pinned version there and not destroyed, may the caller read it. One database query per
   * call, whatever the number of references.
   */
  public Map<SecretRef, SecretCheck> check(SecretContext context, Collection<SecretRef> refs) {
    return reads.check(context, refs);
  }


  /**
   * Adds a new primary key to the tenant's keyset. New versions use it; old versions still
   * decrypt with the old keys until {@link #reencrypt} moves them.
   *
   * @return the new primary key id
   */
  public int rotateTenantKey(SecretContext context) {
    return keys.rotateTenantKey(context);
  }

  /**
   * Re-encrypts every stored version of the tenant that is not under its primary key, in
   * transactions of {@code batchSize} versions, then retires the old keys nothing uses any more.
   * Safe to run while the store serves reads and writes, and to re-run after an interruption.
   */
  public ReencryptResult reencrypt(SecretContext context, int batchSize) {
    return reencrypt(context, batchSize, ReencryptResult.Listener.NONE);
  }


  /**
   * {@link #reencrypt(SecretContext, int)}, telling {@code listener} after each committed batch.
   */
  public ReencryptResult reencrypt(SecretContext context, int batchSize,
      ReencryptResult.Listener listener) {
    return keys.reencrypt(context, batchSize, listener);
  }


  /**
   * Re-wraps every tenant keyset and the store's own keys with {@code next}'s primary key, one
   * transaction per tenant. Values are not touched, so the cost is proportional to the number of
   * tenants. {@code next} must still hold every master key the store uses now (build it with
   * {@link MasterKey#withNewPrimaryKey()}), so a rotation stopped halfway leaves everything
   * decryptable with {@code next}; running it again finishes the job. Save {@code next} where the
   * store's master key is configured before calling this; afterwards, {@link #masterKeyIdsInUse()}
   * tells which old keys {@link MasterKey#retainOnly} may drop.
   *
   * @throws SecretException {@code CONFIGURATION} if {@code next} lacks a key in use
   */
  public MasterKeyRotation rotateMasterKey(MasterKey next, MasterKeyRotation.Listener listener) {
    return keys.rotateMasterKey(next, listener);
  }

  /** {@link #rotateMasterKey(MasterKey, MasterKeyRotation.Listener)} without a listener. */
  public MasterKeyRotation rotateMasterKey(MasterKey next) {
    return rotateMasterKey(next, MasterKeyRotation.Listener.NONE);
  }


  /** The master key ids that wrap something in this store. */
  public Set<Integer> masterKeyIdsInUse() {
    return keys.masterKeyIdsInUse();
  }

  /** Closes the connection pool the store created; a supplied data source is left open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
    keyring.clear();
  }

  @Override
  public String toString() {
    return "PlatformSecretStore[" + keyring.master() + "]";
  }

  /** Builds a store: a data source or JDBC URL, and a master key. */
  public static final class Builder {
    private DataSource dataSource;
    private String jdbcUrl;
    private String username;
    private String password;
    private int maxPoolSize = 10;
    private MasterKey masterKey;
    private Clock clock = Clock.systemUTC();
    private AccessPolicy policy = AccessPolicy.PERMIT_ALL;

    private Builder() {}

    /** Use this data source; the store neither pools nor closes it. */
    public Builder dataSource(DataSource ds) {
      this.dataSource = ds;
      return this;
    }

    /** Connect with a HikariCP pool the store owns (H2 or PostgreSQL URL). */
    public Builder jdbcUrl(String url) {
      this.jdbcUrl = url;
      return this;
    }

    public Builder username(String user) {
      this.username = user;
      return this;
    }

    public Builder password(String pass) {
      this.password = pass;
      return this;
    }

    public Builder maxPoolSize(int size) {
      this.maxPoolSize = size;
      return this;
    }

    public Builder masterKey(MasterKey key) {
      this.masterKey = key;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock == null");
      return this;
    }

    public Builder accessPolicy(AccessPolicy p) {
      this.policy = Objects.requireNonNull(p, "accessPolicy == null");
      return this;
    }

    /**
     * Migrates the schema (Flyway, history table {@code sf_schema_history}), checks that the
     * master key opens this store, and returns it.
     *
     * @throws SecretException {@code CONFIGURATION} for a missing setting or a master key that
     *     does not match the store; {@code PROVIDER_UNAVAILABLE} if the database cannot be reached
     */
    public PlatformSecretStore build() {
      if (masterKey == null) {
        throw new SecretException(SecretError.CONFIGURATION, null, "no master key given",
            "Give the store a master key (file or environment variable)");
      }
      if ((dataSource == null) == (jdbcUrl == null)) {
        throw new SecretException(SecretError.CONFIGURATION, null,
            "give exactly one of a data source and a JDBC URL",
            "Configure the store's database once");
      }
      HikariDataSource pool = null;
      DataSource ds = dataSource;
      if (ds == null) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("secret-fetch-platform");
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(username);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(maxPoolSize);
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        cfg.setInitializationFailTimeout(-1);
        try {
          pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
          throw new SecretException(SecretError.CONFIGURATION, null,
              "the store's database pool could not be created (" + e.getClass().getSimpleName()
                  + ")",
              "Check the JDBC URL and driver");
        }
        ds = pool;
      }
      try {
        StoreSchema.migrate(ds);
        return new PlatformSecretStore(this, ds, pool);
      } catch (FlywayException e) {
        if (pool != null) {
          pool.close();
        }
        throw new SecretException(SecretError.PROVIDER_UNAVAILABLE, null,
            "the store's schema could not be migrated (" + e.getClass().getSimpleName() + ")",
            "Check that the database is reachable and the user may create tables", e);
      } catch (RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        throw e;
      }
    }
  }
}
