package io.secretfetch.api;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link BootstrapSecrets} a factory receives from {@link SecretResolver}: the providers
 * configured before the one being built. Those providers, and the resolver's cache, are complete
 * before the first factory runs, so a read works even while the resolver is still being built.
 */
final class EarlierProviders implements BootstrapSecrets {
  private final SecretResolver resolver;
  private final Set<String> earlier;
  private final String building;

  EarlierProviders(SecretResolver resolver, Set<String> earlier, String building) {
    this.resolver = resolver;
    this.earlier = Set.copyOf(earlier);
    this.building = building;
  }

  @Override
  public SecretValue resolve(SecretRef ref, SecretContext context) {
    return resolver.resolve(normalize(ref), context);
  }

  @Override
  public void invalidate(SecretRef ref, SecretContext context) {
    resolver.invalidate(normalize(ref), context);
  }

  @Override
  public SecretRef normalize(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.provider() == null) {
      throw SecretException.configuration(ref,
          "provider '" + building + "' needs the bootstrap secret '" + ref.name()
              + "', which names no provider",
          "Write it as provider:name, naming one of the providers configured before '" + building
              + "': " + new TreeSet<>(earlier));
    }
    if (!earlier.contains(ref.provider())) {
      throw SecretException.configuration(ref,
          "provider '" + building + "' needs a bootstrap secret from provider '" + ref.provider()
              + "', which is not configured before it (configured before: "
              + new TreeSet<>(earlier) + ")",
          "Configure '" + ref.provider() + "' before '" + building + "', or correct the reference");
    }
    return ref;
  }

  @Override
  public String toString() {
    return "BootstrapSecrets[for=" + building + ", providers=" + new TreeSet<>(earlier) + "]";
  }
}
