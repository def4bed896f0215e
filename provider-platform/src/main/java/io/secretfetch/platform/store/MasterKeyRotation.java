package io.secretfetch.platform.store;

/**
 * The outcome of {@link PlatformSecretStore#rotateMasterKey}.
 *
 * @param newPrimaryKeyId the master key id everything is now wrapped with
 * @param tenantsRewrapped tenant keysets re-wrapped by this call
 * @param tenantsAlreadyCurrent tenant keysets that were already wrapped with the new key (from an
 *     earlier, interrupted run)
 * @param storeKeysRewrapped store keys (the audit chain key) re-wrapped by this call
 */
public record MasterKeyRotation(
    int newPrimaryKeyId, int tenantsRewrapped, int tenantsAlreadyCurrent, int storeKeysRewrapped) {

  /** Told about progress; throwing from it stops the rotation after the tenant just committed. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (tenantId, done, total) -> {};

    /**
     * Called after each tenant's keyset is re-wrapped and committed.
     *
     * @param tenantId the tenant, null for the default tenant
     * @param done tenants re-wrapped so far by this call
     * @param total tenants this call set out to re-wrap
     */
    void tenantRewrapped(String tenantId, int done, int total);
  }
}
