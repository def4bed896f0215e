package io.secretfetch.platform.store;

/**
 * The outcome of {@link PlatformSecretStore#reencrypt}.
 *
 * @param versionsReencrypted stored versions re-encrypted under the tenant's primary key
 * @param keysRetired old tenant keys removed from the keyset because nothing uses them any more
 */
public record ReencryptResult(int versionsReencrypted, int keysRetired) {}
