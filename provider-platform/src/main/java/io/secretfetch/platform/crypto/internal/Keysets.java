package io.secretfetch.platform.crypto.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import io.secretfetch.platform.crypto.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Wrapping and unwrapping of the store's keysets with the master key, and the associated data
 * that binds every ciphertext to its place. All cryptography is Tink's.
 */
public final class Keysets {
  private static final byte[] TENANT_KEYSET_CONTEXT =
      "secret-fetch/tenant-keyset/v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] STORE_KEY_CONTEXT =
      "secret-fetch/store-key/v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE_CONTEXT =
      "secret-fetch/value/v1".getBytes(StandardCharsets.UTF_8);

  static {
    MasterKey.registerTink();
  }

  private Keysets() {}

  /** A new tenant keyset: one AES256-GCM key (Tink output prefix, so rotated keys coexist). */
  public static KeysetHandle newTenantKeyset() throws GeneralSecurityException {
    return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
  }

  /** A new keyset for the audit chain: HMAC-SHA256 with a 256-bit tag. */
  public static KeysetHandle newMacKeyset() throws GeneralSecurityException {
    return KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG);
  }

  /** {@code keyset} plus a new AES256-GCM key that becomes primary; old keys stay enabled. */
  public static KeysetHandle withNewPrimary(KeysetHandle keyset) throws GeneralSecurityException {
    return KeysetHandle.newBuilder(keyset)
        .addEntry(
            KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                .withRandomId()
                .makePrimary())
        .build();
  }

  /** {@code keyset} without the non-primary keys not listed in {@code keep}. */
  public static KeysetHandle retain(KeysetHandle keyset, java.util.Set<Integer> keep)
      throws GeneralSecurityException {
    KeysetHandle.Builder b = KeysetHandle.newBuilder(keyset);
    for (int i = b.size() - 1; i >= 0; i--) {
      if (!b.getAt(i).isPrimary() && !keep.contains(keyset.getAt(i).getId())) {
        b.deleteAt(i);
      }
    }
    return b.build();
  }

  public static byte[] wrapTenantKeyset(KeysetHandle keyset, MasterKey master, String tenant)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(
        keyset, master.aead(), concat(TENANT_KEYSET_CONTEXT, tenant));
  }

  public static KeysetHandle unwrapTenantKeyset(byte[] wrapped, MasterKey master, String tenant)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(
        wrapped, master.aead(), concat(TENANT_KEYSET_CONTEXT, tenant));
  }

  public static byte[] wrapStoreKey(KeysetHandle keyset, MasterKey master, String name)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(
        keyset, master.aead(), concat(STORE_KEY_CONTEXT, name));
  }

  public static KeysetHandle unwrapStoreKey(byte[] wrapped, MasterKey master, String name)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(
        wrapped, master.aead(), concat(STORE_KEY_CONTEXT, name));
  }

  public static Aead aead(KeysetHandle keyset) throws GeneralSecurityException {
    return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  public static Mac mac(KeysetHandle keyset) throws GeneralSecurityException {
    return keyset.getPrimitive(RegistryConfiguration.get(), Mac.class);
  }

  /**
   * The associated data of a secret value: the context label, the tenant, the secret id and the
   * version, each length-prefixed so no two different triples give the same bytes. A ciphertext
   * copied to another row, secret or tenant therefore fails to decrypt.
   */
  public static byte[] valueAssociatedData(String tenant, UUID secretId, int version) {
    byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + VALUE_CONTEXT.length + 4 + t.length + 16 + 4)
        .putInt(VALUE_CONTEXT.length)
        .put(VALUE_CONTEXT)
        .putInt(t.length)
        .put(t)
        .putLong(secretId.getMostSignificantBits())
        .putLong(secretId.getLeastSignificantBits())
        .putInt(version)
        .array();
  }

  /**
   * The id of the key that produced a Tink ciphertext (output prefix: one version byte, then the
   * key id), or 0 when the ciphertext has no Tink prefix.
   */
  public static int keyIdOf(byte[] ciphertext) {
    if (ciphertext == null || ciphertext.length < 5 || ciphertext[0] != 0x01) {
      return 0;
    }
    return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
  }

  private static byte[] concat(byte[] context, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + context.length + 4 + n.length)
        .putInt(context.length)
        .put(context)
        .putInt(n.length)
        .put(n)
        .array();
  }
}
