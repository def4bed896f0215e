package io.secretfetch.platform.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key of a platform store: a Tink AEAD keyset (AES256-GCM) that wraps every tenant
 * keyset and the audit chain key. Values are never encrypted with it directly.
 *
 * <p>The keyset may hold several keys: the primary one wraps, every enabled one unwraps. That is
 * how a master-key rotation stays safe when it stops halfway: {@link #withNewPrimaryKey()} adds a
 * key and keeps the old ones, the store re-wraps tenant by tenant, and only after every tenant is
 * re-wrapped may {@link #retainOnly(Collection)} drop the old key.
 *
 * <p>Key material never leaves through {@link #toString()} (which prints key ids only), {@code
 * equals} or {@code hashCode}. The one way out is {@link #exportCleartextKeysetJson()} and {@link
 * #writeTo(Path)}, for the operator who stores the key in a file or secret manager.
 */
public final class MasterKey {
  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
  private static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  static {
    registerTink();
  }

  private final KeysetHandle keyset;
  private final Aead aead;

  private MasterKey(KeysetHandle keyset) {
    this.keyset = keyset;
    try {
      this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw configuration("the master keyset is not an AEAD keyset", e);
    }
  }

  /** Registers the Tink key types the store uses; idempotent. */
  public static void registerTink() {
    try {
      AeadConfig.register();
      MacConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not register its AEAD and MAC key types", e);
    }
  }

  /** A new random master key (one AES256-GCM key). */
  public static MasterKey generate() {
    try {
      return new MasterKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not generate an AES256-GCM keyset", e);
    }
  }

  /**
   * Reads a cleartext Tink JSON keyset, as held in an environment variable or secret manager.
   *
   * @param source names where the text came from, for error messages (e.g. {@code "environment
   *     variable SECRET_FETCH_MASTER_KEY"})
   */
  public static MasterKey fromKeysetJson(String json, String source) {
    if (json == null || json.isBlank()) {
      throw configuration(source + " is empty; it must hold a Tink JSON keyset", null);
    }
    String repeated = repeatedKey(json);
    if (repeated != null) {
      throw configuration(source + " gives the key " + repeated + " twice in one object; a"
          + " master keyset is read only when each key is given once", null);
    }
    KeysetHandle handle;
    try {
      handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // The parser's message could quote key bytes: keep only the class name.
      throw configuration(
          source + " does not hold a valid Tink JSON keyset (" + e.getClass().getSimpleName()
              + ")",
          null);
    }
    for (int i = 0; i < handle.size(); i++) {
      if (!(handle.getAt(i).getKey().getParameters() instanceof AesGcmParameters p)
          || p.getKeySizeBytes() != 32) {
        throw configuration(
            source + " holds a key (id " + Integer.toUnsignedString(handle.getAt(i).getId())
                + ") that is not AES256-GCM; the master keyset must hold AES256-GCM keys only",
            null);
      }
    }
    return new MasterKey(handle);
  }

  /**
   * The name and JSON pointer of a key given twice in one object ({@code 'primaryKeyId' at
   * /primaryKeyId}), or null. Tink's reader keeps the last one; a keyset whose meaning depends on
   * the reader is refused. Values are skipped by the streaming parser, never decoded.
   */
  private static String repeatedKey(String json) {
    try (JsonParser p = STRICT_JSON.createParser(json)) {
      while (p.nextToken() != null) {
        p.skipChildren();   // no-op for scalars; keeps nesting checks in the parser
      }
      return null;
    } catch (JsonProcessingException e) {
      if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
        String key = p.getParsingContext().getCurrentName();
        if (key != null && ("Duplicate field '" + key + "'").equals(e.getOriginalMessage())) {
          return "'" + key + "' at " + p.getParsingContext().pathAsPointer();
        }
      }
      return null;   // not JSON: Tink's own refusal follows
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads the keyset JSON held in the environment variable {@code name}. */
  public static MasterKey fromEnvironment(String name) {
    String json = System.getenv(name);
    if (json == null) {
      throw configuration("environment variable " + name + " is not set", null);
    }
    return fromKeysetJson(json, "environment variable " + name);
  }

  /** Reads a key file written by {@link #writeTo(Path)} (a cleartext Tink JSON keyset). */
  public static MasterKey fromFile(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw configuration("master key file " + file + " cannot be read (" + e + ")", null);
    }
    warnIfReadableByOthers(file);
    return fromKeysetJson(json, "master key file " + file);
  }

  /**
   * The embedded default: reads the key file, or creates it with a new random key, readable and
   * writable by its owner only, and logs where it is (never the key).
   */
  public static MasterKey loadOrCreate(Path file) {
    if (Files.exists(file)) {
      log.debug("Using the master key file {}", file.toAbsolutePath());
      return fromFile(file);
    }
    MasterKey created = generate();
    try {
      created.writeNew(file);
    } catch (FileAlreadyExistsException raced) {
      return fromFile(file);
    } catch (IOException e) {
      throw configuration("master key file " + file + " cannot be created (" + e + ")", null);
    }
    log.warn(
        "Created a new master key file at {} (owner read/write only). Back it up: without it no"
            + " secret in this store can be decrypted.",
        file.toAbsolutePath());
    return created;
  }

  /**
   * This keyset plus a new random AES256-GCM key that becomes primary. The old keys stay, so
   * everything wrapped with them still unwraps while the store re-wraps.
   */
  public MasterKey withNewPrimaryKey() {
    try {
      KeysetHandle next =
          KeysetHandle.newBuilder(keyset)
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .build();
      return new MasterKey(next);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not add a key to the master keyset", e);
    }
  }

  /**
   * This keyset without the keys whose ids are not in {@code keyIds}; the primary key always stays.
   * Use it after a completed master-key rotation, with the ids the store still uses.
   */
  public MasterKey retainOnly(Collection<Integer> keyIds) {
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(keyset);
      for (int i = b.size() - 1; i >= 0; i--) {
        KeysetHandle.Builder.Entry e = b.getAt(i);
        int id = keyset.getAt(i).getId();
        if (!e.isPrimary() && !keyIds.contains(id)) {
          b.deleteAt(i);
        }
      }
      return new MasterKey(b.build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not remove keys from the master keyset", e);
    }
  }

  /** The id of the primary key, the one new wraps use. */
  public int primaryKeyId() {
    return keyset.getPrimary().getId();
  }

  /** The ids of the enabled keys, which can unwrap. */
  public Set<Integer> keyIds() {
    Set<Integer> ids = new TreeSet<>();
    for (int i = 0; i < keyset.size(); i++) {
      if (keyset.getAt(i).getStatus() == KeyStatus.ENABLED) {
        ids.add(keyset.getAt(i).getId());
      }
    }
    return Collections.unmodifiableSet(ids);
  }

  /**
   * The AEAD over this keyset. Wrapping keysets with it is the store's business; it is public so
   * the store's internal packages can reach it.
   */
  public Aead aead() {
    return aead;
  }

  /**
   * The keyset as cleartext Tink JSON, to put into an environment variable or a secret manager.
   * This is the one method that yields key material: treat its result as a secret.
   */
  public String exportCleartextKeysetJson() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not serialise the master keyset", e);
    }
  }

  /**
   * Writes the keyset to {@code file} atomically (temporary file in the same directory, then
   * rename), readable and writable by the owner only. Replaces an existing file.
   */
  public void writeTo(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = createOwnerOnlyFile(dir, file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, exportCleartextKeysetJson(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void writeNew(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = createOwnerOnlyFile(dir, file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, exportCleartextKeysetJson(), StandardCharsets.UTF_8);
      // A hard link fails if the target exists, so two processes cannot both create the key.
      Files.createLink(file, tmp);
    } catch (UnsupportedOperationException e) {
      Files.move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path createOwnerOnlyFile(Path dir, String prefix, String suffix)
      throws IOException {
    if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      return Files.createTempFile(dir, prefix, suffix, attr);
    }
    Path tmp = Files.createTempFile(dir, prefix, suffix);
    var f = tmp.toFile();
    boolean ok =
        f.setReadable(false, false) && f.setReadable(true, true) && f.setWritable(false, false)
            && f.setWritable(true, true);
    if (!ok) {
      log.warn("Could not restrict the permissions of {} to its owner", tmp);
    }
    return tmp;
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ)) {
          log.warn(
              "The master key file {} is readable by other users ({}); restrict it with"
                  + " chmod 600",
              file.toAbsolutePath(),
              PosixFilePermissions.toString(perms));
        }
      }
    } catch (IOException e) {
      log.debug("Could not read the permissions of {}", file, e);
    }
  }

  private static SecretException configuration(String detail, Throwable cause) {
    return new SecretException(
        SecretError.CONFIGURATION,
        null,
        detail,
        "Give the store the master key it was created with: a Tink JSON keyset (AES256-GCM) in"
            + " the configured file or environment variable",
        cause);
  }

  /** Key ids and the primary id only; never key material. */
  @Override
  public String toString() {
    return "MasterKey[primary=" + Integer.toUnsignedString(primaryKeyId()) + ", keys="
        + keyIds().stream().map(Integer::toUnsignedString).toList() + "]";
  }
}
