package io.secretfetch.vault.internal;

import java.nio.charset.StandardCharsets;

/** Logical Vault paths: validation and the percent-encoding the driver needs. */
final class VaultPaths {
  private VaultPaths() {}

  /**
   * Why {@code path} cannot be used as a Vault path, or null if it can. Empty segments, {@code .}
   * and {@code ..} are refused (Vault would clean them into another path), and so is {@code %}:
   * the driver decodes a URL once and re-encodes it, which would turn {@code %41} into {@code A}.
   */
  static String problem(String path) {
    if (path.isEmpty()) {
      return "the path is empty";
    }
    if (path.startsWith("/")) {
      return "the path starts with '/'";
    }
    if (path.indexOf('%') >= 0) {
      return "the path contains '%', which vault-java-driver cannot send unchanged";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return "the path has an empty segment ('//' or a trailing '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "the path has a '" + segment + "' segment";
      }
    }
    return null;
  }

  /** Percent-encodes each segment, keeping the slashes. */
  static String encode(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
