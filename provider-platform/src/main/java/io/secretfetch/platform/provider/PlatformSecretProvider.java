package io.secretfetch.platform.provider;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.store.Page;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.SecretInfo;
import io.secretfetch.platform.store.SecretQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code platform} provider in local mode: it reads the platform store in the same JVM, over
 * JDBC. Remote mode is {@link RemotePlatformProvider}; {@link PlatformSecretProviderFactory} picks
 * one by the {@code mode} setting. Both behave the same to the resolver: same error codes, same
 * summaries.
 *
 * <p>{@link #fetch} reads (and audits) the active or pinned version; {@link #check} is one
 * database query per call whatever the number of references and reads no value; {@link #list}
 * returns names and metadata only. Platform versions never change once written, so a pinned
 * reference is {@linkplain #immutable immutable}. JSON fields are selected by the resolver.
 */
public final class PlatformSecretProvider implements SecretProvider {
  private final String id;
  private final PlatformSecretStore store;
  private final boolean ownsStore;

  /**
   * @param id the routing id references use, usually {@code platform}
   * @param store the store to read
   * @param ownsStore whether {@link #close()} closes the store
   */
  public PlatformSecretProvider(String id, PlatformSecretStore store, boolean ownsStore) {
    if (!SecretRef.isValidProviderId(id)) {
      throw new IllegalArgumentException("provider id '" + id + "' is not valid");
    }
    this.id = id;
    this.store = Objects.requireNonNull(store, "store");
    this.ownsStore = ownsStore;
  }

  /** The store behind this provider, for hosts that also manage secrets. */
  public PlatformSecretStore store() {
    return store;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    SecretRef whole = ref.withoutField();
    try {
      return store.value(context, whole);
    } catch (SecretException e) {
      throw named(e, whole);
    }
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    Map<SecretRef, SecretCheck> byStore = store.check(context, refs);
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    for (SecretRef r : refs) {
      SecretCheck c = byStore.get(r);
      out.put(r, c.isOk() ? SecretCheck.ok(r) : SecretCheck.failed(r, named(c.problem(), r)));
    }
    return out;
  }

  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    List<SecretSummary> out = new ArrayList<>();
    SecretQuery q = SecretQuery.all().prefix(prefix).pageSize(SecretQuery.MAX_PAGE_SIZE);
    while (true) {
      Page<SecretInfo> page = store.list(context, q);
      for (SecretInfo s : page.items()) {
        out.add(summary(s));
      }
      if (!page.hasNext()) {
        return out;
      }
      q = q.pageToken(page.nextPageToken());
    }
  }

  @Override
  public boolean immutable(SecretRef ref) {
    return ref.pinned();
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "PlatformSecretProvider[id=" + id + ", mode=local]";
  }

  private static SecretSummary summary(SecretInfo s) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("category", s.category().code());
    attributes.put("version", Integer.toString(s.activeVersion()));
    if (s.owner() != null) {
      attributes.put("owner", s.owner());
    }
    if (s.expiresAt() != null) {
      attributes.put("expiresAt", s.expiresAt().toString());
    }
    s.tags().forEach((k, v) -> attributes.put("tag." + k, v));
    return new SecretSummary(s.name(), s.description(), s.updatedAt(), attributes);
  }

  /** The same failure, naming the reference as the caller wrote it (with this provider's id). */
  private static SecretException named(SecretException e, SecretRef ref) {
    return Objects.equals(e.ref(), ref) ? e : e.withRef(ref);
  }
}
