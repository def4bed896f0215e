package io.secretfetch.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the KV mount a path lies in: the longest configured mount first; else, when detection is
 * on, Vault's answer from {@code sys/internal/ui/mounts/<path>} (what {@code vault kv} uses; any
 * token with a capability on the path may read it), falling back to {@code sys/mounts} (needs
 * {@code read} on {@code sys/mounts}). Detected mounts are remembered per namespace.
 */
final class Mounts {
  /** Sends one call with the provider's token, handling retries and a stale token. */
  @FunctionalInterface
  interface Sender {
    Reply send(SecretRef ref, String what, SessionCall call) throws InterruptedException;
  }

  @FunctionalInterface
  interface SessionCall {
    Reply run(TokenSession session) throws TransportFailure, InterruptedException;
  }

  private final String providerId;
  private final List<KvMount> configured;
  private final boolean detection;
  private final VaultGateway gateway;
  private final Map<String, List<KvMount>> detected = new ConcurrentHashMap<>();

  Mounts(String providerId, List<KvMount> configured, boolean detection, VaultGateway gateway) {
    this.providerId = providerId;
    this.configured = configured;
    this.detection = detection;
    this.gateway = gateway;
  }

  /** The configured mounts and those detected so far in {@code namespace}. */
  List<KvMount> known(String namespace) {
    List<KvMount> all = new ArrayList<>(configured);
    for (KvMount m : detected.getOrDefault(key(namespace), List.of())) {
      if (all.stream().noneMatch(c -> c.path().equals(m.path()))) {
        all.add(m);
      }
    }
    return all;
  }

  KvMount locate(String name, String namespace, SecretRef ref, Sender sender)
      throws InterruptedException {
    KvMount found = longest(configured, name);
    if (found != null) {
      return found;
    }
    found = longest(detected.getOrDefault(key(namespace), List.of()), name);
    if (found != null) {
      return found;
    }
    if (!detection) {
      throw SecretException.configuration(
          ref,
          "'" + name + "' lies under none of the configured KV mounts " + configured,
          "Add its mount to the 'mounts' setting of provider '" + providerId
              + "' (e.g. mounts=secret=2), or turn on mount-detection");
    }
    return detect(name, namespace, ref, sender);
  }

  private KvMount detect(String name, String namespace, SecretRef ref, Sender sender)
      throws InterruptedException {
    Reply ui = sender.send(ref, "mount lookup",
        s -> gateway.read(s, namespace, "sys/internal/ui/mounts/" + name));
    int uiStatus = ui.status();
    try {
      if (ui.ok()) {
        JsonNode data = ui.json().path("data");
        String path = data.path("path").asText("");
        if (!path.isEmpty()) {
          return remember(namespace, mount(path, data, ref), name, ref);
        }
      } else if (!(uiStatus == 400 || uiStatus == 403 || uiStatus == 404 || uiStatus == 405)) {
        throw Errors.unexpected(ref, uiStatus, "the mount lookup", gateway.address(), ui);
      }
    } finally {
      ui.wipe();
    }
    Reply all = sender.send(ref, "mount listing", s -> gateway.read(s, namespace, "sys/mounts"));
    try {
      if (all.ok()) {
        JsonNode root = all.json();
        JsonNode table = root.path("data").isObject() ? root.path("data") : root;
        KvMount best = null;
        Iterator<Map.Entry<String, JsonNode>> it = table.fields();
        List<KvMount> kv = new ArrayList<>();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String type = e.getValue().path("type").asText("");
          if (!type.equals("kv") && !type.equals("generic")) {
            continue;
          }
          KvMount m = new KvMount(e.getKey(), version(e.getValue()));
          kv.add(m);
          if (m.contains(name) && (best == null || m.path().length() > best.path().length())) {
            best = m;
          }
        }
        detected.computeIfAbsent(key(namespace), k -> new CopyOnWriteArrayList<>()).addAll(kv);
        if (best != null) {
          return best;
        }
        throw SecretException.notFound(
            ref,
            "no KV mount of Vault" + Errors.inNamespace(namespace) + " contains '" + name + "'",
            "Check the path's first segments: they must name a KV mount (vault secrets list)");
      }
      if (!(all.status() == 400 || all.status() == 403 || all.status() == 404)) {
        throw Errors.unexpected(ref, all.status(), "the mount listing", gateway.address(), all);
      }
    } finally {
      all.wipe();
    }
    if (uiStatus == 403) {
      throw SecretException.accessDenied(
          ref,
          "Vault grants the provider's token nothing on '" + name + "'"
              + Errors.inNamespace(namespace)
              + " (403 on sys/internal/ui/mounts), so its mount cannot be found",
          "Grant read on the secret (for KV v2: " + Errors.policy("<mount>/data/<path>", "read",
              namespace) + "), or name its mount in the 'mounts' setting");
    }
    throw SecretException.configuration(
        ref,
        "Vault did not say which KV mount holds '" + name + "' (sys/internal/ui/mounts answered "
            + uiStatus + ", sys/mounts " + all.status() + ")",
        "Name the mount in the 'mounts' setting of provider '" + providerId
            + "', e.g. mounts=secret=2, team/kv=2");
  }

  private KvMount mount(String path, JsonNode data, SecretRef ref) {
    String type = data.path("type").asText("");
    if (!type.equals("kv") && !type.equals("generic")) {
      throw SecretException.configuration(
          ref,
          "the path lies in the mount '" + KvMount.trimSlashes(path) + "' of type '" + type
              + "', not a KV secrets engine",
          "Reference a secret in a KV mount");
    }
    return new KvMount(path, version(data));
  }

  private KvMount remember(String namespace, KvMount m, String name, SecretRef ref) {
    if (!m.contains(name)) {
      throw SecretException.providerUnavailable(
          ref,
          "Vault named the mount '" + m.path() + "', which does not contain the path",
          "Name the mount in the 'mounts' setting");
    }
    List<KvMount> list = detected.computeIfAbsent(key(namespace),
        k -> new CopyOnWriteArrayList<>());
    if (list.stream().noneMatch(x -> x.path().equals(m.path()))) {
      list.add(m);
    }
    return m;
  }

  private static int version(JsonNode mount) {
    return "2".equals(mount.path("options").path("version").asText("1")) ? 2 : 1;
  }

  private static KvMount longest(List<KvMount> mounts, String name) {
    KvMount best = null;
    for (KvMount m : mounts) {
      if (m.contains(name) && (best == null || m.path().length() > best.path().length())) {
        best = m;
      }
    }
    return best;
  }

  private static String key(String namespace) {
    return namespace == null ? "" : namespace;
  }
}
