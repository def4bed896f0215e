package io.secretfetch.vault.internal;

import java.util.Objects;

/**
 * A KV secrets engine mount.
 *
 * @param path the mount path without slashes at either end, e.g. {@code secret} or {@code team/kv}
 * @param version 1 or 2
 */
public record KvMount(String path, int version) {
  public KvMount {
    Objects.requireNonNull(path, "path");
    path = trimSlashes(path);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("mount path must not be empty");
    }
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("KV version must be 1 or 2, was " + version);
    }
  }

  /** Path segments in the mount path: 1 for {@code secret}, 2 for {@code team/kv}. */
  public int depth() {
    return path.split("/").length;
  }

  /** Whether {@code name} lies under this mount (segment-wise: {@code secret2/x} is not under
   * {@code secret}). */
  public boolean contains(String name) {
    return name.equals(path) || name.startsWith(path + "/");
  }

  /** The part of {@code name} after the mount, without a leading slash. */
  public String relative(String name) {
    return name.length() <= path.length() ? "" : name.substring(path.length() + 1);
  }

  static String trimSlashes(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '/') {
      e--;
    }
    return s.substring(b, e).trim();
  }

  @Override
  public String toString() {
    return path + " (KV v" + version + ")";
  }
}
