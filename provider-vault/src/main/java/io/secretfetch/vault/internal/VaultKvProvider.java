package io.secretfetch.vault.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jopenlibs.vault.VaultException;
import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The {@code vault} provider: reads KV v1 and v2 secrets through vault-java-driver.
 *
 * <p>A reference's name is a Vault path in the form the {@code vault kv} CLI uses: the mount, then
 * the secret's path, without KV v2's {@code data/} segment ({@code secret/team a/api}). A version
 * pins a KV v2 version. The value is the secret's whole data map as a JSON object, so the
 * resolver selects fields ({@code vault:secret/app#password}).
 */
public final class VaultKvProvider implements SecretProvider {
  /** The version label of KV v1 secrets, which have no versions. */
  static final String KV1_VERSION = "current";

  private final VaultOptions options;
  private final Clock clock;
  private final VaultGateway gateway;
  private final Retrying retrying;
  private final TokenManager tokens;
  private final Mounts mounts;
  // A closed provider has revoked its token renewal; a fetch then must not silently go on.
  private volatile boolean closed;

  VaultKvProvider(VaultOptions options, Collaborators collaborators, SSLContext sslContext,
      BootstrapSecrets bootstrap) throws VaultException {
    this.options = options;
    this.clock = collaborators.clock();
    ControlledEnvironment env =
        options.readEnvironment()
            ? ControlledEnvironment.from(collaborators.environment())
            : ControlledEnvironment.empty();
    this.gateway = new VaultGateway(options.address(), sslContext, options.connectTimeout(),
        options.readTimeout(), env);
    this.retrying = new Retrying(options.backoff(), collaborators.sleeper(),
        collaborators.random());
    this.tokens = new TokenManager(options.providerId(),
        Credentials.of(options, gateway, retrying, clock, bootstrap), gateway, retrying, clock,
        options.renewAt(), options.authNamespace());
    this.mounts = new Mounts(options.providerId(), options.mounts(), options.mountDetection(),
        gateway);
  }

  @Override
  public String id() {
    return options.providerId();
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    ensureOpen();
    try {
      String ns = namespace(ref, context);
      String name = name(ref);
      KvMount mount = mounts.locate(name, ns, ref, this::send);
      String rest = relative(ref, mount, name);
      return mount.version() == 2 ? fetchKv2(ref, ns, mount, rest)
          : fetchKv1(ref, ns, mount, name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interrupted(ref, e);
    }
  }

  private SecretValue fetchKv1(SecretRef ref, String ns, KvMount mount, String name)
      throws InterruptedException {
    if (ref.version() != null && !KV1_VERSION.equals(ref.version())) {
      throw kv1Version(ref, mount);
    }
    Reply r = send(ref, "read", s -> gateway.read(s, ns, name));
    try {
      return switch (r.status()) {
        case 200 -> value(ref, KV1_VERSION, r.json().path("data"));
        case 404 -> throw notFound(ref, ns, mount, name);
        case 403 -> throw Errors.denied(ref, "reading the secret", name, "read", ns);
        default -> throw Errors.unexpected(ref, r.status(), "the read", gateway.address(), r);
      };
    } finally {
      r.wipe();
    }
  }

  private SecretValue fetchKv2(SecretRef ref, String ns, KvMount mount, String rest)
      throws InterruptedException {
    Integer version = kv2Version(ref);
    Reply r = send(ref, "read", s -> gateway.readKv2(s, ns, mount, rest, version));
    String dataPath = mount.path() + "/data/" + rest;
    try {
      switch (r.status()) {
        case 200 -> {
          JsonNode data = r.json().path("data");
          JsonNode metadata = data.path("metadata");
          SecretException gone = deletedVersion(ref, mount, rest, metadata);
          if (gone != null) {
            throw gone;
          }
          String resolved = metadata.path("version").asText("");
          if (resolved.isEmpty()) {
            resolved = version != null ? version.toString() : "unknown";
          }
          return value(ref, resolved, data.path("data"));
        }
        case 404 -> {
          SecretException gone =
              deletedVersion(ref, mount, rest, r.json().path("data").path("metadata"));
          if (gone != null) {
            throw gone;
          }
          if (version != null) {
            throw missingVersion(ref, ns, mount, rest, version);
          }
          throw notFound(ref, ns, mount, dataPath);
        }
        case 403 -> throw Errors.denied(ref, "reading the secret", dataPath, "read", ns);
        default -> throw Errors.unexpected(ref, r.status(), "the read", gateway.address(), r);
      }
    } finally {
      r.wipe();
    }
  }

  /** DELETED when KV v2 metadata says the version was destroyed or soft-deleted, else null. */
  private static SecretException deletedVersion(SecretRef ref, KvMount mount, String rest,
      JsonNode metadata) {
    if (!metadata.isObject()) {
      return null;
    }
    String version = metadata.path("version").asText("?");
    if (metadata.path("destroyed").asBoolean(false)) {
      return SecretException.deleted(
          ref,
          "version " + version + " was destroyed",
          "A destroyed version cannot be restored: pin another version, or write a new one"
              + " (vault kv put -mount=" + mount.path() + " " + rest + " ...)");
    }
    String deletedAt = metadata.path("deletion_time").asText("");
    if (!deletedAt.isEmpty()) {
      return SecretException.deleted(
          ref,
          "version " + version + " was deleted at " + deletedAt,
          "Restore it (vault kv undelete -mount=" + mount.path() + " -versions=" + version + " "
              + rest + "), or pin another version");
    }
    return null;
  }

  /** A pinned version was not found: tell a missing version from a missing secret. */
  private SecretException missingVersion(SecretRef ref, String ns, KvMount mount, String rest,
      int version) throws InterruptedException {
    String metadataPath = mount.path() + "/metadata/" + rest;
    Reply m = send(ref, "metadata read", s -> gateway.read(s, ns, metadataPath));
    try {
      if (m.status() == 404) {
        return notFound(ref, ns, mount, mount.path() + "/data/" + rest);
      }
      if (m.ok()) {
        JsonNode data = m.json().path("data");
        return SecretException.versionNotFound(
            ref,
            "version " + version + " does not exist (versions " + data.path("oldest_version")
                .asText("?") + " to " + data.path("current_version").asText("?") + " exist)",
            "Pin an existing version, or remove the pin to use the current one");
      }
      return SecretException.versionNotFound(
          ref,
          "version " + version + " was not found (the secret's metadata could not be read to"
              + " tell whether the secret exists: " + m.status() + ")",
          "Pin an existing version, or remove the pin to use the current one");
    } finally {
      m.wipe();
    }
  }

  private SecretException notFound(SecretRef ref, String ns, KvMount mount, String path) {
    String hint = mount.version() == 2 && mount.relative(name(ref)).startsWith("data/")
        ? "; KV v2 names leave out the API's 'data/' segment: write " + mount.path() + "/"
            + mount.relative(name(ref)).substring(5)
        : "";
    return SecretException.notFound(
        ref,
        "no secret at " + path + Errors.inNamespace(ns) + " (KV v" + mount.version() + " mount '"
            + mount.path() + "')",
        "Write the secret (vault kv put -mount=" + mount.path() + " "
            + mount.relative(name(ref)) + " key=value), or correct the reference" + hint);
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    ensureOpen();
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      try {
        checkOne(ref, context);
        out.put(ref, SecretCheck.ok(ref));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.interrupted(ref, e);
      } catch (SecretException e) {
        if (e.retryable()) {
          throw e;
        }
        out.put(ref, SecretCheck.failed(ref, e));
      }
    }
    return out;
  }

  private void checkOne(SecretRef ref, SecretContext context) throws InterruptedException {
    String ns = namespace(ref, context);
    String name = name(ref);
    KvMount mount = mounts.locate(name, ns, ref, this::send);
    String rest = relative(ref, mount, name);
    if (mount.version() == 2) {
      Integer version = kv2Version(ref);
      String metadataPath = mount.path() + "/metadata/" + rest;
      Reply r = send(ref, "metadata read", s -> gateway.read(s, ns, metadataPath));
      try {
        switch (r.status()) {
          case 200 -> {
            JsonNode data = r.json().path("data");
            String v = version != null ? version.toString()
                : data.path("current_version").asText("0");
            JsonNode entry = data.path("versions").path(v);
            if (!entry.isObject()) {
              throw version != null
                  ? SecretException.versionNotFound(ref,
                      "version " + v + " does not exist (versions "
                          + data.path("oldest_version").asText("?") + " to "
                          + data.path("current_version").asText("?") + " exist)",
                      "Pin an existing version, or remove the pin to use the current one")
                  : notFound(ref, ns, mount, metadataPath);
            }
            SecretException gone = deletedVersion(ref, mount, rest,
                ((com.fasterxml.jackson.databind.node.ObjectNode) entry.deepCopy())
                    .put("version", v));
            if (gone != null) {
              throw gone;
            }
          }
          case 404 -> throw notFound(ref, ns, mount, mount.path() + "/data/" + rest);
          case 403 -> throw SecretException.accessDenied(
              ref,
              "Vault denied reading the secret's metadata (403 on " + metadataPath
                  + Errors.inNamespace(ns) + ")",
              "Checks read metadata, fetches read data: add "
                  + Errors.policy(metadataPath, "read", ns) + " and "
                  + Errors.policy(mount.path() + "/data/" + rest, "read", ns));
          default -> throw Errors.unexpected(ref, r.status(), "the metadata read",
              gateway.address(), r);
        }
      } finally {
        r.wipe();
      }
      return;
    }
    if (ref.version() != null && !KV1_VERSION.equals(ref.version())) {
      throw kv1Version(ref, mount);
    }
    if (options.kv1Check() == VaultOptions.Kv1Check.READ) {
      // Documented choice: the value is read and dropped at once, never parsed into a
      // SecretValue, registered, cached or logged.
      Reply r = send(ref, "read", s -> gateway.read(s, ns, name));
      try {
        switch (r.status()) {
          case 200 -> { }
          case 404 -> throw notFound(ref, ns, mount, name);
          case 403 -> throw Errors.denied(ref, "reading the secret", name, "read", ns);
          default -> throw Errors.unexpected(ref, r.status(), "the read", gateway.address(), r);
        }
      } finally {
        r.wipe();
      }
      return;
    }
    int slash = rest.lastIndexOf('/');
    String dir = slash < 0 ? "" : rest.substring(0, slash + 1);
    String leaf = rest.substring(slash + 1);
    String listed = mount.path() + "/" + dir;
    Reply r = send(ref, "list", s -> gateway.list(s, ns, mount, dir));
    try {
      switch (r.status()) {
        case 200 -> {
          for (JsonNode key : r.json().path("data").path("keys")) {
            if (key.asText().equals(leaf)) {
              return;
            }
          }
          throw notFound(ref, ns, mount, name);
        }
        case 404 -> throw notFound(ref, ns, mount, name);
        case 403 -> throw SecretException.accessDenied(
            ref,
            "Vault denied listing " + listed + Errors.inNamespace(ns)
                + " (KV v1 has no metadata, so checks list the parent path)",
            "Add " + Errors.policy(listed, "list", ns) + ", or set kv1-check=read to check with"
                + " a read whose value is discarded");
        default -> throw Errors.unexpected(ref, r.status(), "the list", gateway.address(), r);
      }
    } finally {
      r.wipe();
    }
  }

  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    ensureOpen();
    String p = prefix == null ? "" : prefix.strip().replaceAll("^/+", "");
    SecretRef ref = SecretRef.of(id(), p.isEmpty() ? "/" : p);
    try {
      String ns = namespace(ref, context);
      if (p.isEmpty()) {
        List<SecretSummary> out = new ArrayList<>();
        for (KvMount m : mounts.known(ns)) {
          out.add(new SecretSummary(m.path() + "/", null, null,
              Map.of("kind", "mount", "kv-version", Integer.toString(m.version()))));
        }
        return out;
      }
      String trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      String problem = VaultPaths.problem(trimmed);
      if (problem != null) {
        throw invalid(ref, problem);
      }
      KvMount mount = mounts.locate(trimmed, ns, ref, this::send);
      String rel = mount.contains(trimmed) && trimmed.length() > mount.path().length()
          ? p.substring(mount.path().length() + 1) : "";
      int slash = rel.lastIndexOf('/');
      String dir = slash < 0 ? "" : rel.substring(0, slash + 1);
      String filter = rel.substring(slash + 1);
      String listed = mount.path() + (mount.version() == 2 ? "/metadata/" : "/") + dir;
      Reply r = send(ref, "list", s -> gateway.list(s, ns, mount, dir));
      try {
        switch (r.status()) {
          case 200 -> {
            List<SecretSummary> out = new ArrayList<>();
            for (JsonNode key : r.json().path("data").path("keys")) {
              String k = key.asText("");
              if (!k.isEmpty() && k.startsWith(filter)) {
                out.add(new SecretSummary(mount.path() + "/" + dir + k, null, null,
                    Map.of("kind", k.endsWith("/") ? "folder" : "secret", "kv-version",
                        Integer.toString(mount.version()))));
              }
            }
            return out;
          }
          case 404 -> {
            return List.of();
          }
          case 403 -> throw SecretException.accessDenied(
              ref,
              "Vault denied listing " + listed + Errors.inNamespace(ns),
              "Add " + Errors.policy(listed, "list", ns));
          default -> throw Errors.unexpected(ref, r.status(), "the list", gateway.address(), r);
        }
      } finally {
        r.wipe();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interrupted(ref, e);
    }
  }

  /**
   * Pinned KV v2 versions never change. KV v1 has no versions, and a reference's mount is only
   * known after a lookup, so only numeric pins count as immutable.
   */
  @Override
  public boolean immutable(SecretRef ref) {
    return ref.version() != null && ref.version().chars().allMatch(Character::isDigit);
  }

  @Override
  public void close() {
    closed = true;
    tokens.close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(
          "Vault provider '" + id() + "' is closed; build a new one (or a new resolver) to read again");
    }
  }

  /** Logins so far; for tests and diagnostics. */
  int logins() {
    return tokens.logins();
  }

  int renewals() {
    return tokens.renewals();
  }

  int threadsWaitingForToken() {
    return tokens.waiting();
  }

  @Override
  public String toString() {
    return "VaultKvProvider[" + options + "]";
  }

  // --- calls ---------------------------------------------------------------------------------

  /**
   * Sends one call with a current token and retries. On a 403, asks Vault whether the token is
   * still valid; if not (revoked, or expired before its lease said), logs in again and repeats the
   * call once.
   */
  private Reply send(SecretRef ref, String what, Mounts.SessionCall call)
      throws InterruptedException {
    TokenSession session = tokens.current(ref);
    Reply reply = retrying.run(ref, what, () -> call.run(session));
    if (reply.status() != 403 || tokens.stillValid(session, ref)) {
      return reply;
    }
    reply.wipe();
    tokens.discard(session);
    TokenSession fresh = tokens.current(ref);
    return retrying.run(ref, what, () -> call.run(fresh));
  }

  private SecretValue value(SecretRef ref, String version, JsonNode data) {
    if (!data.isObject()) {
      throw SecretException.malformedValue(
          ref,
          "Vault returned no data object for the secret",
          "Check that the path names a KV secret, not a folder or another engine's endpoint");
    }
    byte[] bytes;
    try {
      bytes = Reply.JSON.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw SecretException.malformedValue(ref,
          "the secret's data could not be encoded as JSON");
    }
    try {
      return SecretValue.ofBytes(new SecretMetadata(ref, version, clock.instant(), null), bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private String namespace(SecretRef ref, SecretContext context) {
    if (options.tenancy() == VaultOptions.Tenancy.SHARED || context.tenantId() == null) {
      return options.namespace();
    }
    String tenant = context.tenantId();
    if (VaultPaths.problem(tenant) != null || tenant.contains("/")) {
      throw SecretException.accessDenied(
          ref,
          "tenant id '" + tenant + "' cannot name a Vault namespace",
          "Use tenant ids without '/', '%' and dot segments, or set tenancy=shared");
    }
    return options.namespace() == null ? tenant : options.namespace() + "/" + tenant;
  }

  private String name(SecretRef ref) {
    if (!id().equals(ref.provider())) {
      throw new IllegalArgumentException(
          "reference '" + ref + "' is not for provider '" + id() + "'");
    }
    String name = ref.name();
    String problem = VaultPaths.problem(name);
    if (problem != null) {
      throw invalid(ref, problem);
    }
    return name;
  }

  private static String relative(SecretRef ref, KvMount mount, String name) {
    String rest = mount.relative(name);
    if (rest.isEmpty()) {
      throw invalid(ref, "it names the mount '" + mount.path() + "' itself, not a secret in it");
    }
    return rest;
  }

  private static Integer kv2Version(SecretRef ref) {
    if (ref.version() == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(ref.version());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(ref, "KV v2 versions are whole numbers from 1, not '" + ref.version() + "'");
  }

  private static SecretException kv1Version(SecretRef ref, KvMount mount) {
    return invalid(ref, "the KV v1 mount '" + mount.path() + "' keeps no versions");
  }

  private static SecretException invalid(SecretRef ref, String problem) {
    return SecretException.invalidReference(
        ref,
        "not a usable Vault reference: " + problem,
        "Write it as vault:<mount>/<path>[@<version>], e.g. vault:secret/team/api@3");
  }
}
