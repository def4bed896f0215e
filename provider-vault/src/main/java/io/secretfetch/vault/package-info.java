/**
 * The {@code vault} secret provider for HashiCorp Vault's KV secrets engines (v1 and v2), built
 * on {@code io.github.jopenlibs:vault-java-driver}. The public surface is {@link
 * io.secretfetch.vault.VaultSecretProviderFactory} and {@link io.secretfetch.vault.VaultSettings};
 * everything in {@code io.secretfetch.vault.internal} may change without notice.
 */
package io.secretfetch.vault;
