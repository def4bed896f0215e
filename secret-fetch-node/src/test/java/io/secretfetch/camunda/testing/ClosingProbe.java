package io.secretfetch.camunda.testing;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory provider that records whether it was closed: how a test sees a resolver close. */
public final class ClosingProbe implements SecretProvider {
  /** Every probe the factory built, in order; tests clear it. */
  public static final List<ClosingProbe> BUILT = new CopyOnWriteArrayList<>();

  private final InMemorySecretProvider memory;
  private volatile int closed;

  public ClosingProbe(String id) {
    this.memory = new InMemorySecretProvider(id);
  }

  public ClosingProbe put(String name, String value) {
    memory.put(name, value);
    return this;
  }

  /** How often {@link #close()} ran. */
  public int closeCount() {
    return closed;
  }

  @Override
  public String id() {
    return memory.id();
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    return memory.fetch(ref, context);
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    return memory.check(refs, context);
  }

  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    return memory.list(prefix, context);
  }

  @Override
  public synchronized void close() {
    closed++;
  }

  /** Type {@code closing-probe}; settings {@code secret.NAME=VALUE}. */
  public static final class Factory implements SecretProviderFactory {
    @Override
    public String type() {
      return "closing-probe";
    }

    @Override
    public SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap) {
      ClosingProbe probe = new ClosingProbe(config.id());
      config.settings().forEach((k, v) -> {
        if (k.startsWith("secret.")) {
          probe.put(k.substring("secret.".length()), v);
        }
      });
      BUILT.add(probe);
      return probe;
    }
  }
}
