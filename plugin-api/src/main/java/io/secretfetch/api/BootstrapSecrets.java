package io.secretfetch.api;

/**
 * The secrets a provider needs for itself (AWS keys, a Vault AppRole secret-id, a worker's
 * signing key), as a {@link SecretProviderFactory} receives them: resolved through the providers
 * configured <em>before</em> the one being built, and nothing else of the resolver.
 *
 * <p>Prefer resolving on first use over resolving in the factory: a provider that re-reads its
 * credential after a refusal picks up a rotated one without a restart. {@link #normalize} checks
 * a setting at once, so a reference to a provider that is not configured before this one fails
 * the start.
 *
 * <p>{@link SecretResolver} implements this interface too, so a provider built by hand can be
 * given a whole resolver.
 */
public interface BootstrapSecrets {

  /**
   * Resolves {@code ref}, through the resolver's cache.
   *
   * @throws SecretException when the secret cannot be resolved, or {@code CONFIGURATION} when no
   *     provider configured before this one serves the reference
   */
  SecretValue resolve(SecretRef ref, SecretContext context);

  /**
   * Drops the cached value of {@code ref}, so the next {@link #resolve} reads its provider again:
   * call it after a service refused a credential, to pick up a rotated one.
   */
  void invalidate(SecretRef ref, SecretContext context);

  /**
   * The reference with its provider filled in.
   *
   * @throws SecretException {@code CONFIGURATION} when no provider configured before this one
   *     serves the reference
   */
  SecretRef normalize(SecretRef ref);
}
