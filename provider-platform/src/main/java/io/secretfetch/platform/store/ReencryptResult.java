package io.secretfetch.platform.store;

/**
 * The outcome of {@link PlatformSecretStore#reencrypt}.
 *
 * @param versionsReencrypted stored versions re-encrypted under the tenant's primary key
 * @param keysRetired old tenant keys removed from the keyset because nothing uses them any more
 */
public record ReencryptResult(int versionsReencrypted, int keysRetired) {

  /** Told about progress; throwing from it stops the re-encryption after the committed batch. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (done, total) -> {};

    /**
     * Called after each batch is re-encrypted and committed.
     *
     * @param done versions re-encrypted so far by this call
     * @param total versions this call found to re-encrypt when it started (at least {@code done};
     *     writes during the run may add more)
     */
    void batchReencrypted(int done, int total);
  }
}
