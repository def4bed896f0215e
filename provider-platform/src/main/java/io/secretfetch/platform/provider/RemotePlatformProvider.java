package io.secretfetch.platform.provider;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.provider.internal.RemoteClient;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code platform} provider in remote mode: every call goes to the platform server over HTTPS
 * with service tokens it mints itself. Built by {@link PlatformSecretProviderFactory} for
 * {@code mode: remote}; behaves to the resolver like the local {@link PlatformSecretProvider}
 * (same error codes, same summaries).
 */
public final class RemotePlatformProvider implements SecretProvider {
  private final String id;
  private final RemoteClient remote;

  RemotePlatformProvider(String id, RemoteClient remote) {
    if (!SecretRef.isValidProviderId(id)) {
      throw new IllegalArgumentException("provider id '" + id + "' is not valid");
    }
    this.id = id;
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    return remote.fetch(ref.withoutField(), context);
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    return remote.check(refs, context);
  }

  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    return remote.list(prefix, context);
  }

  /** Platform versions never change once written. */
  @Override
  public boolean immutable(SecretRef ref) {
    return ref.pinned();
  }

  @Override
  public void close() {
    remote.close();
  }

  @Override
  public String toString() {
    return "RemotePlatformProvider[id=" + id + ", mode=remote, url=" + remote.baseUrl() + "]";
  }
}
