package io.secretfetch.platform.store;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditLog;
import io.secretfetch.platform.audit.internal.AuditChain;
import io.secretfetch.platform.auth.Credentials;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.crypto.internal.Keysets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import io.secretfetch.platform.store.internal.Jdbc;
import io.secretfetch.platform.store.internal.Jdbc.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
 * <p>All methods are safe for concurrent use, also by several processes sharing one database.
 * Tenant ids come from the {@link SecretContext}; null is the default tenant.
 */
public final class PlatformSecretStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlatformSecretStore.class);

  /** The file name of the embedded default's master key inside its data directory. */
  public static final String MASTER_KEY_FILE = "master-key.json";

  private static final String MIGRATIONS = "classpath:io/secretfetch/platform/db/migration";
  private static final String SECRET_COLUMNS =
      "s.id, s.tenant, s.name, s.description, s.owner, s.category, s.expires_at,"
          + " s.active_version, s.latest_version, s.created_at, s.created_by, s.updated_at,"
          + " s.deleted_at";

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Clock clock;
  private final AccessPolicy policy;
  private final AuditChain auditChain;
  private final Credentials credentials;
  private final Map<String, TenantKey> tenantKeys = new ConcurrentHashMap<>();
  private final Object masterRotation = new Object();
  private volatile MasterKey master;
  private volatile Mac auditMac;

  private PlatformSecretStore(Builder b, DataSource dataSource, HikariDataSource ownedPool) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.clock = b.clock;
    this.policy = b.policy;
    this.master = b.masterKey;
    this.auditChain = new AuditChain(dataSource, () -> auditMac);
    this.credentials = new Credentials(dataSource, auditChain, clock);
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

  // ---------------------------------------------------------------------------------------------
  // Writes

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
      Instant now = now();
      Set<String> names = new HashSet<>();
      for (WriteBatch.Entry e : entries) {
        if (!policy.permits(context, StoreOperation.MANAGE, e.name())) {
          throw denied(e.name());
        }
        validate(e, now);
        if (!names.add(e.name())) {
          throw new SecretException(SecretError.CONFLICT, ref(e.name(), null),
              "the batch names this secret twice", "Give each secret in a batch one write only");
        }
      }
      if (!created.isEmpty()) {
        ensureTenant(tenant);
      }
      SecretInfo[] written = inTransaction(c -> {
        TenantKey key = lockTenant(c, tenant);
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
        failure = new SecretException(SecretError.CONFLICT, ref(created.get(0), null), e.detail(),
            e.remedy());
      }
      WriteBatch.Entry culprit = culprit(entries, failure);
      auditFailure(context, culprit.action(), culprit.name(),
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
  private void insertSecrets(Connection c, TenantKey key, String tenant, SecretContext context,
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
        insSecret.setObject(i++, odt(s.expiresAt()));
        insSecret.setObject(i++, odt(now));
        insSecret.setString(i++, context.actor());
        insSecret.setObject(i, odt(now));
        insSecret.addBatch();
        insVersion.setObject(1, id);
        insVersion.setBytes(2, ciphertext);
        insVersion.setLong(3, Integer.toUnsignedLong(key.primaryKeyId));
        insVersion.setObject(4, odt(now));
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
        infos[n] = new SecretInfo(id, tenantOut(tenant), s.name(), s.description(), s.owner(),
            s.category(), s.tags(), s.expiresAt(), 1, 1, now, context.actor(), now, null);
        events.add(event(context, AuditAction.CREATE, null, id, s.name(), 1, null));
      }
      insSecret.executeBatch();
      insVersion.executeBatch();
      insTag.executeBatch();
      activate.executeBatch();
    }
  }

  /** Adds the next version of an existing secret and makes it active. */
  private SecretInfo addVersion(Connection c, TenantKey key, String tenant, SecretContext context,
      Instant now, WriteBatch.Entry entry, int index, byte[][] generated,
      List<AuditChain.Entry> events) throws SQLException {
    String name = entry.name();
    Rotation rotation = entry.rotation();
    SecretInfo current = lockSecret(c, tenant, name);
    requireLive(current);
    if (rotation.expectedVersion() != null
        && rotation.expectedVersion() != current.activeVersion()) {
      throw new SecretException(SecretError.CONFLICT, ref(name, null),
          "expected active version " + rotation.expectedVersion() + " but it is "
              + current.activeVersion(),
          "Read the current version and retry the rotation against it");
    }
    int version = current.latestVersion() + 1;
    byte[] ciphertext = seal(key, tenant, current.id(), version, rotation.value(), generated, index);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO sf_secret_version (secret_id, version, ciphertext, key_id, created_at,"
            + " created_by) VALUES (?,?,?,?,?,?)")) {
      ps.setObject(1, current.id());
      ps.setInt(2, version);
      ps.setBytes(3, ciphertext);
      ps.setLong(4, Integer.toUnsignedLong(key.primaryKeyId));
      ps.setObject(5, odt(now));
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
      ps.setObject(3, odt(expiresAt));
      ps.setObject(4, odt(now));
      ps.setObject(5, current.id());
      ps.executeUpdate();
    }
    events.add(event(context, AuditAction.ROTATE, null, current.id(), name, version,
        "previous active version " + current.activeVersion()));
    return withVersions(current, version, version, expiresAt, now);
  }

  /**
   * Encrypts a write's value for version {@code version} of secret {@code id}. A given value's
   * plaintext copy is wiped at once; a generated one is kept in {@code generated[index]} to be
   * returned after the commit.
   */
  private byte[] seal(TenantKey key, String tenant, UUID id, int version, SecretMaterial material,
      byte[][] generated, int index) {
    byte[] plaintext = plaintextOf(material);
    try {
      return encrypt(key, plaintext, Keysets.valueAssociatedData(tenant, id, version));
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

  /** Changes metadata; fields the update does not set stay as they are. */
  public SecretInfo updateMetadata(SecretContext context, String name, MetadataUpdate update) {
    Objects.requireNonNull(update, "update");
    return run(context, AuditAction.UPDATE_METADATA, StoreOperation.MANAGE, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = now();
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
      return inTransaction(c -> {
        lockTenant(c, tenant);
        SecretInfo cur = lockSecret(c, tenant, name);
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
          ps.setObject(4, odt(expiresAt));
          ps.setObject(5, odt(now));
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
        auditChain.append(c, List.of(event(context, AuditAction.UPDATE_METADATA, null, cur.id(),
            name, null, "changed " + update)));
        return new SecretInfo(cur.id(), cur.tenantId(), name, description, owner, category, tags,
            expiresAt, cur.activeVersion(), cur.latestVersion(), cur.createdAt(), cur.createdBy(),
            now, cur.deletedAt());
      });
    });
  }

  /** Soft-deletes: the secret can no longer be read, listed or rotated until undeleted. */
  public SecretInfo delete(SecretContext context, String name) {
    return setDeleted(context, name, true);
  }

  /** Undoes a soft delete. */
  public SecretInfo undelete(SecretContext context, String name) {
    return setDeleted(context, name, false);
  }

  private SecretInfo setDeleted(SecretContext context, String name, boolean delete) {
    AuditAction action = delete ? AuditAction.DELETE : AuditAction.UNDELETE;
    return run(context, action, StoreOperation.MANAGE, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = now();
      return inTransaction(c -> {
        lockTenant(c, tenant);
        SecretInfo cur = lockSecret(c, tenant, name);
        if (cur.deleted() == delete) {
          auditChain.append(c, List.of(event(context, action, null, cur.id(), name, null,
              delete ? "already deleted" : "was not deleted")));
          return cur;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret SET deleted_at = ?, updated_at = ? WHERE id = ?")) {
          ps.setObject(1, delete ? odt(now) : null);
          ps.setObject(2, odt(now));
          ps.setObject(3, cur.id());
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(event(context, action, null, cur.id(), name, null, null)));
        return new SecretInfo(cur.id(), cur.tenantId(), name, cur.description(), cur.owner(),
            cur.category(), cur.tags(), cur.expiresAt(), cur.activeVersion(),
            cur.latestVersion(), cur.createdAt(), cur.createdBy(), now, delete ? now : null);
      });
    });
  }

  /**
   * Removes a soft-deleted secret for good, with every version and tag. The audit trail keeps its
   * events.
   *
   * @throws SecretException {@code CONFLICT} if the secret is not soft-deleted first
   */
  public void purge(SecretContext context, String name) {
    run(context, AuditAction.PURGE, StoreOperation.DESTROY, name, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      return inTransaction(c -> {
        lockTenant(c, tenant);
        SecretInfo cur = lockSecret(c, tenant, name);
        if (!cur.deleted()) {
          throw new SecretException(SecretError.CONFLICT, ref(name, null),
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
        auditChain.append(c, List.of(event(context, AuditAction.PURGE, null, cur.id(), name, null,
            cur.latestVersion() + " version(s) removed")));
        return null;
      });
    });
  }

  /**
   * Destroys a version's ciphertext; its number and dates stay. Destroying the active version is
   * allowed (a leaked value): reads then fail with {@code DELETED} until a rotate or rollback.
   */
  public VersionInfo destroyVersion(SecretContext context, String name, int version) {
    return run(context, AuditAction.DESTROY_VERSION, StoreOperation.DESTROY, name, version, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Validation.version(version);
      Instant now = now();
      return inTransaction(c -> {
        lockTenant(c, tenant);
        SecretInfo cur = lockSecret(c, tenant, name);
        VersionInfo v = versionRow(c, cur, version)
            .orElseThrow(() -> versionNotFound(name, version, cur));
        if (v.state() == VersionState.DESTROYED) {
          auditChain.append(c, List.of(event(context, AuditAction.DESTROY_VERSION, null, cur.id(),
              name, version, "already destroyed")));
          return v;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret_version SET ciphertext = NULL, key_id = NULL, destroyed_at = ?"
                + " WHERE secret_id = ? AND version = ?")) {
          ps.setObject(1, odt(now));
          ps.setObject(2, cur.id());
          ps.setInt(3, version);
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(event(context, AuditAction.DESTROY_VERSION, null, cur.id(),
            name, version, version == cur.activeVersion() ? "the active version" : null)));
        return new VersionInfo(version, VersionState.DESTROYED, v.createdAt(), v.createdBy(), now);
      });
    });
  }

  /**
   * Makes an older version active again. With {@code expectedVersion} it is a check-and-set like
   * {@link Rotation.Builder#expectedVersion}.
   */
  public SecretInfo rollback(SecretContext context, String name, int version, Integer expectedVersion) {
    return run(context, AuditAction.ROLLBACK, StoreOperation.MANAGE, name, version, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Validation.version(version);
      Instant now = now();
      return inTransaction(c -> {
        lockTenant(c, tenant);
        SecretInfo cur = lockSecret(c, tenant, name);
        requireLive(cur);
        if (expectedVersion != null && expectedVersion != cur.activeVersion()) {
          throw new SecretException(SecretError.CONFLICT, ref(name, null),
              "expected active version " + expectedVersion + " but it is " + cur.activeVersion(),
              "Read the current version and retry the rollback against it");
        }
        VersionInfo v = versionRow(c, cur, version)
            .orElseThrow(() -> versionNotFound(name, version, cur));
        if (v.state() == VersionState.DESTROYED) {
          throw new SecretException(SecretError.DELETED, ref(name, Integer.toString(version)),
              "version " + version + " was destroyed and cannot become active",
              "Roll back to a version that still exists, or rotate to a new value");
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE sf_secret SET active_version = ?, updated_at = ? WHERE id = ?")) {
          ps.setInt(1, version);
          ps.setObject(2, odt(now));
          ps.setObject(3, cur.id());
          ps.executeUpdate();
        }
        auditChain.append(c, List.of(event(context, AuditAction.ROLLBACK, null, cur.id(), name,
            version, "previous active version " + cur.activeVersion())));
        return withVersions(cur, version, cur.latestVersion(), cur.expiresAt(), now);
      });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  /** A secret's metadata, deleted or not; readable also after it expired. */
  public SecretInfo metadata(SecretContext context, String name) {
    String tenant = Validation.tenant(context.tenantId());
    Validation.name(name);
    requirePermitted(context, StoreOperation.READ_METADATA, name);
    return query(c -> findSecret(c, tenant, name, false)
        .orElseThrow(() -> notFound(name)));
  }

  /** Every version of a secret, newest first, without values. */
  public List<VersionInfo> versions(SecretContext context, String name) {
    String tenant = Validation.tenant(context.tenantId());
    Validation.name(name);
    requirePermitted(context, StoreOperation.READ_METADATA, name);
    return query(c -> {
      SecretInfo s = findSecret(c, tenant, name, false).orElseThrow(() -> notFound(name));
      List<VersionInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT version, ciphertext IS NULL, created_at, created_by, destroyed_at"
              + " FROM sf_secret_version WHERE secret_id = ? ORDER BY version DESC")) {
        ps.setObject(1, s.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(versionInfo(rs, s.activeVersion()));
          }
        }
      }
      return out;
    });
  }

  /** Names and metadata of a tenant's secrets, filtered and paged; never values. */
  public Page<SecretInfo> list(SecretContext context, SecretQuery query) {
    String tenant = Validation.tenant(context.tenantId());
    requirePermitted(context, StoreOperation.READ_METADATA, null);
    StringBuilder sql = new StringBuilder("SELECT " + SECRET_COLUMNS
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
    return query(c -> {
      List<SecretInfo> items = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(secretInfo(rs, Map.of()));
          }
        }
      }
      String next = null;
      if (items.size() > query.pageSize()) {
        items = items.subList(0, query.pageSize());
        next = Base64.getUrlEncoder().withoutPadding().encodeToString(
            items.get(items.size() - 1).name().getBytes(StandardCharsets.UTF_8));
      }
      return new Page<>(withTags(c, items), next);
    });
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
    Objects.requireNonNull(ref, "ref");
    Integer pinned = ref.version() == null ? null : parseVersion(ref);
    String name = ref.name();
    return run(context, AuditAction.READ_VALUE, StoreOperation.READ_VALUE, name, pinned, () -> {
      String tenant = Validation.tenant(context.tenantId());
      Validation.name(name);
      Instant now = now();
      return inTransaction(c -> {
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
        TenantKey key;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          int i = 1;
          if (pinned != null) {
            ps.setInt(i++, pinned);
          }
          ps.setString(i++, tenant);
          ps.setString(i, name);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw notFound(name);
            }
            id = rs.getObject(1, UUID.class);
            int active = rs.getInt(2);
            expiresAt = instant(rs, 3);
            if (instant(rs, 4) != null) {
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
            key = tenantKey(tenant, rs.getInt(8), rs.getBytes(9));
          }
        }
        byte[] plaintext;
        try {
          plaintext = key.aead.decrypt(ciphertext, Keysets.valueAssociatedData(tenant, id, version));
        } catch (GeneralSecurityException e) {
          log.warn("Decryption failed for secret id {} version {} in tenant '{}' (key id {})",
              id, version, tenant, Integer.toUnsignedString(Keysets.keyIdOf(ciphertext)));
          throw new SecretException(SecretError.DECRYPTION_FAILED, ref.withoutField(), null);
        }
        try {
          auditChain.append(c, List.of(event(context, AuditAction.READ_VALUE, null, id, name,
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

  /**
   * Checks references without reading or auditing values: does each exist, is it live, unexpired,
   * is the pinned version there and not destroyed, may the caller read it. One database query per
   * call, whatever the number of references.
   */
  public Map<SecretRef, SecretCheck> check(SecretContext context, Collection<SecretRef> refs) {
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
    Map<String, Row> rows = query(c -> {
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
                return new Row(rs.getInt(2), instant(rs, 3), instant(rs, 4), new HashMap<>());
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
    Instant now = now();
    for (SecretRef r : refs) {
      SecretRef key = r;
      SecretException problem = null;
      Row row = rows.get(r.name());
      if (!policy.permits(context, StoreOperation.READ_VALUE, r.name())) {
        problem = denied(r.name());
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

  // ---------------------------------------------------------------------------------------------
  // Keys

  /**
   * Adds a new primary key to the tenant's keyset. New versions use it; old versions still
   * decrypt with the old keys until {@link #reencrypt} moves them.
   *
   * @return the new primary key id
   */
  public int rotateTenantKey(SecretContext context) {
    return run(context, AuditAction.ROTATE_TENANT_KEY, StoreOperation.MANAGE_KEYS, null, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      ensureTenant(tenant);
      return inTransaction(c -> {
        TenantKey cur = lockTenant(c, tenant);
        KeysetHandle next;
        try {
          next = Keysets.withNewPrimary(cur.keyset);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not add a key to the tenant keyset", e);
        }
        int primary = next.getPrimary().getId();
        writeTenantKeyset(c, tenant, next, cur.revision + 1);
        auditChain.append(c, List.of(event(context, AuditAction.ROTATE_TENANT_KEY, null, null,
            null, null, "new primary key " + Integer.toUnsignedString(primary))));
        log.info("Rotated the key of tenant '{}': new primary key id {}", tenant,
            Integer.toUnsignedString(primary));
        return primary;
      });
    });
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
    Objects.requireNonNull(listener, "listener");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive but was " + batchSize);
    }
    return run(context, AuditAction.REENCRYPT, StoreOperation.MANAGE_KEYS, null, null, () -> {
      String tenant = Validation.tenant(context.tenantId());
      ensureTenant(tenant);
      int pending = query(c -> {
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
        int done = inTransaction(c -> {
          TenantKey key = lockTenant(c, tenant);
          List<Object[]> batch = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT v.secret_id, v.version, v.ciphertext FROM sf_secret_version v"
                  + " JOIN sf_secret s ON s.id = v.secret_id WHERE s.tenant = ?"
                  + " AND v.ciphertext IS NOT NULL AND v.key_id <> ? ORDER BY v.secret_id, v.version"
                  + " LIMIT ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, Integer.toUnsignedLong(key.primaryKeyId));
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
              byte[] ad = Keysets.valueAssociatedData(tenant, id, version);
              byte[] plaintext;
              try {
                plaintext = key.aead.decrypt((byte[]) row[2], ad);
              } catch (GeneralSecurityException e) {
                log.warn("Re-encryption skipped secret id {} version {}: it does not decrypt", id, version);
                throw new SecretException(SecretError.DECRYPTION_FAILED, null, null);
              }
              try {
                up.setBytes(1, key.aead.encrypt(plaintext, ad));
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink could not encrypt", e);
              } finally {
                Arrays.fill(plaintext, (byte) 0);
              }
              up.setLong(2, Integer.toUnsignedLong(key.primaryKeyId));
              up.setObject(3, id);
              up.setInt(4, version);
              up.addBatch();
            }
            up.executeBatch();
          }
          auditChain.append(c, List.of(event(context, AuditAction.REENCRYPT, null, null, null,
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
      int retired = inTransaction(c -> {
        TenantKey key = lockTenant(c, tenant);
        Set<Integer> inUse = new HashSet<>();
        inUse.add(key.primaryKeyId);
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
        int before = key.keyset.size();
        if (before == inUse.size()) {
          return 0;
        }
        KeysetHandle pruned;
        try {
          pruned = Keysets.retain(key.keyset, inUse);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not remove retired keys", e);
        }
        writeTenantKeyset(c, tenant, pruned, key.revision + 1);
        int n = before - pruned.size();
        auditChain.append(c, List.of(event(context, AuditAction.REENCRYPT, null, null, null, null,
            n + " retired key(s) removed")));
        return n;
      });
      log.info("Re-encrypted {} version(s) of tenant '{}' and retired {} key(s)", reencrypted,
          tenant, retired);
      return new ReencryptResult(reencrypted, retired);
    });
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
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(listener, "listener");
    synchronized (masterRotation) {
      Set<Integer> inUse = masterKeyIdsInUse();
      Set<Integer> missing = new TreeSet<>(inUse);
      missing.removeAll(next.keyIds());
      if (!missing.isEmpty()) {
        throw new SecretException(SecretError.CONFIGURATION, null,
            "the new master keyset lacks key(s) " + unsigned(missing)
                + " that still wrap tenant keys",
            "Build the new master key with MasterKey.withNewPrimaryKey() from the current one, so"
                + " it keeps the old key until every tenant is re-wrapped");
      }
      this.master = next;
      int primary = next.primaryKeyId();
      long primaryStored = Integer.toUnsignedLong(primary);
      SecretContext system = SecretContext.system();
      int storeKeys = inTransaction(c -> {
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
              throw wrongMasterKey("store key '" + e.getKey() + "'");
            }
            try (PreparedStatement up = c.prepareStatement(
                "UPDATE sf_store_key SET wrapped_keyset = ?, master_key_id = ?, rewrapped_at = ?"
                    + " WHERE key_name = ?")) {
              up.setBytes(1, rewrapped);
              up.setLong(2, primaryStored);
              up.setObject(3, odt(now()));
              up.setString(4, e.getKey());
              up.executeUpdate();
            }
            n++;
          }
        }
        if (n > 0) {
          auditChain.append(c, List.of(event(system, AuditAction.ROTATE_MASTER_KEY, null, null,
              null, null, n + " store key(s) re-wrapped with master key "
                  + Integer.toUnsignedString(primary))));
        }
        return n;
      });
      List<String> pending = new ArrayList<>();
      int current = 0;
      try (Connection c = dataSource.getConnection();
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
        boolean changed = inTransaction(c -> {
          TenantKey key = lockTenant(c, tenant);
          if (key.masterKeyId == primary) {
            return false;
          }
          writeTenantKeyset(c, tenant, key.keyset, key.revision);
          auditChain.append(c, List.of(event(system, AuditAction.ROTATE_MASTER_KEY, null,
              null, null, null, "tenant keyset '" + tenant + "' re-wrapped with master key "
                  + Integer.toUnsignedString(primary))));
          return true;
        });
        if (changed) {
          done++;
        } else {
          current++;
        }
        listener.tenantRewrapped(tenantOut(tenant), done, pending.size());
      }
      log.info("Master key rotation: {} tenant keyset(s) and {} store key(s) re-wrapped with"
          + " master key {}", done, storeKeys, Integer.toUnsignedString(primary));
      return new MasterKeyRotation(primary, done, current, storeKeys);
    }
  }

  /** {@link #rotateMasterKey(MasterKey, MasterKeyRotation.Listener)} without a listener. */
  public MasterKeyRotation rotateMasterKey(MasterKey next) {
    return rotateMasterKey(next, MasterKeyRotation.Listener.NONE);
  }

  /** The master key ids that wrap something in this store. */
  public Set<Integer> masterKeyIdsInUse() {
    return query(c -> {
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

  /** Closes the connection pool the store created; a supplied data source is left open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
    tenantKeys.clear();
  }

  @Override
  public String toString() {
    return "PlatformSecretStore[" + master + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Opening

  private void open() {
    MasterKey key = master;
    Set<Integer> inUse = masterKeyIdsInUse();
    Set<Integer> missing = new TreeSet<>(inUse);
    missing.removeAll(key.keyIds());
    if (!missing.isEmpty()) {
      throw new SecretException(SecretError.CONFIGURATION, null,
          "the master key does not match this store: the store's keys are wrapped with master"
              + " key id(s) " + unsigned(missing) + ", the given master key holds "
              + unsigned(key.keyIds()),
          "Open the store with the master key file or variable it was created with (or, during a"
              + " rotation, the new keyset that still holds the old key)");
    }
    byte[] wrapped = query(c -> {
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
        boolean inserted = inTransaction(c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO sf_store_key (key_name, wrapped_keyset, master_key_id, created_at)"
                  + " VALUES (?,?,?,?)")) {
            ps.setString(1, AuditChain.KEY_NAME);
            ps.setBytes(2, w);
            ps.setLong(3, Integer.toUnsignedLong(key.primaryKeyId()));
            ps.setObject(4, odt(now()));
            ps.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (isUniqueViolation(e)) {
              return false;
            }
            throw e;
          }
        });
        if (!inserted) { // another process initialised the store at the same moment
          open();
          return;
        }
        log.info("Initialised a new platform secret store (audit chain key created)");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Tink could not create the audit key", e);
      }
    } else {
      try {
        macKeyset = Keysets.unwrapStoreKey(wrapped, key, AuditChain.KEY_NAME);
      } catch (GeneralSecurityException e) {
        throw wrongMasterKey("the audit chain key");
      }
    }
    try {
      this.auditMac = Keysets.mac(macKeyset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not build the audit MAC", e);
    }
  }

  private static SecretException wrongMasterKey(String what) {
    return new SecretException(SecretError.CONFIGURATION, null,
        "the master key cannot decrypt " + what + " of this store: it is not the key the store"
            + " was written with",
        "Open the store with the master key file or variable it was created with");
  }

  // ---------------------------------------------------------------------------------------------
  // Tenants and keys

  private record TenantKey(
      int revision, int masterKeyId, KeysetHandle keyset, Aead aead, int primaryKeyId) {}

  /** Creates the tenant's keyset if it has none; its own transaction, safe against races. */
  private void ensureTenant(String tenant) {
    boolean exists = query(c -> {
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
    inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sf_tenant (tenant, wrapped_keyset, master_key_id, primary_key_id,"
              + " keyset_revision, created_at) VALUES (?,?,?,?,1,?)")) {
        ps.setString(1, tenant);
        ps.setBytes(2, wrapped);
        ps.setLong(3, Integer.toUnsignedLong(key.primaryKeyId()));
        ps.setLong(4, Integer.toUnsignedLong(keyset.getPrimary().getId()));
        ps.setObject(5, odt(now()));
        ps.executeUpdate();
        log.info("Created the keyset of tenant '{}'", tenant);
      } catch (SQLException e) {
        if (!isUniqueViolation(e)) {
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
  private TenantKey lockTenant(Connection c, String tenant) throws SQLException {
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

  private TenantKey tenantKey(String tenant, int revision, byte[] wrapped) {
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

  private void writeTenantKeyset(Connection c, String tenant, KeysetHandle keyset, int revision)
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
      ps.setObject(5, odt(now()));
      ps.setString(6, tenant);
      ps.executeUpdate();
    }
    tenantKeys.remove(tenant);
  }

  // ---------------------------------------------------------------------------------------------
  // Rows

  private Optional<SecretInfo> findSecret(Connection c, String tenant, String name, boolean lock)
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

  private SecretInfo lockSecret(Connection c, String tenant, String name) throws SQLException {
    return findSecret(c, tenant, name, true).orElseThrow(() -> notFound(name));
  }

  private List<SecretInfo> withTags(Connection c, List<SecretInfo> items) throws SQLException {
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

  private Optional<VersionInfo> versionRow(Connection c, SecretInfo s, int version)
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

  private static VersionInfo versionInfo(ResultSet rs, int active) throws SQLException {
    int v = rs.getInt(1);
    boolean destroyed = rs.getBoolean(2);
    VersionState state = destroyed ? VersionState.DESTROYED
        : v == active ? VersionState.ACTIVE : VersionState.AVAILABLE;
    return new VersionInfo(v, state, instant(rs, 3), rs.getString(4), instant(rs, 5));
  }

  private static SecretInfo secretInfo(ResultSet rs, Map<String, String> tags) throws SQLException {
    return new SecretInfo(
        rs.getObject(1, UUID.class),
        tenantOut(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        SecretCategory.fromCode(rs.getString(6)),
        tags,
        instant(rs, 7),
        rs.getInt(8),
        rs.getInt(9),
        instant(rs, 10),
        rs.getString(11),
        instant(rs, 12),
        instant(rs, 13));
  }

  private static SecretInfo withVersions(
      SecretInfo s, int active, int latest, Instant expiresAt, Instant updatedAt) {
    return new SecretInfo(s.id(), s.tenantId(), s.name(), s.description(), s.owner(),
        s.category(), s.tags(), expiresAt, active, latest, s.createdAt(), s.createdBy(),
        updatedAt, s.deletedAt());
  }

  private void requireLive(SecretInfo s) {
    if (s.deleted()) {
      throw new SecretException(SecretError.DELETED, ref(s.name(), null),
          "the secret was deleted", "Undelete the secret first");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  /** Runs {@code work} in a transaction (read committed); commits, or rolls back on failure. */
  private <T> T inTransaction(SqlWork<T> work) {
    return Jdbc.inTransaction(dataSource, work, this::translate);
  }

  /** Runs read-only {@code work} on one connection, auto-commit. */
  private <T> T query(SqlWork<T> work) {
    return Jdbc.query(dataSource, work);
  }

  private interface Body<T> {
    T run();
  }

  /**
   * Checks the policy, runs {@code body} and audits a failure in a transaction of its own (the
   * failed one is rolled back). Successes are audited by {@code body} in its own transaction.
   */
  private <T> T run(SecretContext context, AuditAction action, StoreOperation op, String name,
      Integer version, Body<T> body) {
    Objects.requireNonNull(context, "context");
    try {
      if (!policy.permits(context, op, name)) {
        throw denied(name);
      }
      return body.run();
    } catch (SecretException e) {
      auditFailure(context, action, name, version, e);
      throw e;
    }
  }

  private void auditFailure(SecretContext context, AuditAction action, String name,
      Integer version, SecretException e) {
    try {
      inTransaction(c -> auditChain.append(c, List.of(
          event(context, action, e.error(), null, name, version, e.detail()))));
    } catch (RuntimeException auditFailure) {
      log.warn("Could not audit a failed {} of secret '{}' ({})", action, name, e.error(),
          auditFailure);
      e.addSuppressed(auditFailure);
    }
  }

  private AuditChain.Entry event(SecretContext context, AuditAction action, SecretError error,
      UUID id, String name, Integer version, String detail) {
    return new AuditChain.Entry(now(), context.tenantId(), context.actor(), action, error, id,
        name, version, context.processInstanceId(), context.activityId(), detail);
  }

  private void requirePermitted(SecretContext context, StoreOperation op, String name) {
    if (!policy.permits(context, op, name)) {
      throw denied(name);
    }
  }

  private static SecretException denied(String name) {
    return new SecretException(SecretError.ACCESS_DENIED, name == null ? null : ref(name, null),
        "the caller may not do this", "Ask an administrator for the needed permission");
  }

  private static SecretException notFound(String name) {
    return new SecretException(SecretError.NOT_FOUND, ref(name, null),
        "no such secret in this tenant", null);
  }

  private static SecretException versionNotFound(String name, int version, SecretInfo s) {
    return new SecretException(SecretError.VERSION_NOT_FOUND, ref(name, Integer.toString(version)),
        "the secret has no version " + version + " (versions 1 to " + s.latestVersion() + ")",
        null);
  }

  private static SecretRef ref(String name, String version) {
    try {
      return new SecretRef("platform", name, version, null);
    } catch (SecretException e) {
      return null;
    }
  }

  private static int parseVersion(SecretRef ref) {
    try {
      int v = Integer.parseInt(ref.version());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw new SecretException(SecretError.VERSION_NOT_FOUND, ref.withoutField(),
        "platform versions are positive whole numbers", "Pin a version such as @3");
  }

  private SecretException translate(SQLException e) {
    if (isUniqueViolation(e)) {
      return new SecretException(SecretError.CONFLICT, null,
          "a secret of that name already exists in this tenant (it may be deleted)",
          "Choose another name, rotate the existing secret, or undelete or purge a deleted one",
          null);
    }
    return Jdbc.unavailable(e);
  }


  private static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
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
          Integer.toString(version), now(), expiresAt), bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] encrypt(TenantKey key, byte[] plaintext, byte[] associatedData) {
    try {
      return key.aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not encrypt a value", e);
    }
  }

  private static String decodePageToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Validation.invalid("page token is not one this store issued",
          "Pass the nextPageToken of the previous page unchanged");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime odt(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String tenantOut(String stored) {
    return stored.isEmpty() ? null : stored;
  }

  private static List<String> unsigned(Set<Integer> ids) {
    return ids.stream().map(Integer::toUnsignedString).toList();
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
        Flyway.configure()
            .dataSource(ds)
            .locations(MIGRATIONS)
            .table("sf_schema_history")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
        PlatformSecretStore store = new PlatformSecretStore(this, ds, pool);
        store.open();
        return store;
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
