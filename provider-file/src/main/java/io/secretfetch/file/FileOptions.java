package io.secretfetch.file;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of a {@code file} provider (kebab-case keys; an unknown key is refused so a typo does
 * not silently fall back to a default).
 *
 * @param root the directory the secrets are mounted under ({@code root}, required)
 * @param tenantDirectories one sub-directory per tenant id ({@code tenant-directories}, default
 *     false: one directory for every tenant)
 * @param defaultTenantDirectory with tenant directories, the sub-directory of the default tenant
 *     ({@code default-tenant-directory}, default {@code default})
 * @param maxSize the largest file read, in bytes ({@code max-size}, default 1 MiB)
 */
public record FileOptions(
    Path root, boolean tenantDirectories, String defaultTenantDirectory, long maxSize) {

  public static final String ROOT = "root";
  public static final String TENANT_DIRECTORIES = "tenant-directories";
  public static final String DEFAULT_TENANT_DIRECTORY = "default-tenant-directory";
  public static final String MAX_SIZE = "max-size";
  static final Set<String> KEYS = Set.of(ROOT, TENANT_DIRECTORIES, DEFAULT_TENANT_DIRECTORY, MAX_SIZE);
  static final long DEFAULT_MAX_SIZE = 1024 * 1024;

  /** Reads and checks the settings; every failure is {@code CONFIGURATION} naming the key. */
  public static FileOptions fromConfig(ProviderConfig config) {
    String id = config.id();
    Set<String> unknown = new TreeSet<>(config.settings().keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw SecretException.configuration(
          "provider '" + id + "' has unknown settings " + unknown,
          "Use only " + new TreeSet<>(KEYS) + " for a provider of type 'file'");
    }
    String rootText = config.required(ROOT);
    Path root;
    try {
      root = Path.of(rootText.trim());
    } catch (InvalidPathException e) {
      throw SecretException.configuration(
          "setting '" + ROOT + "' of provider '" + id + "' is not a path: '" + rootText + "'",
          "Set '" + ROOT + "' to the directory the secrets are mounted under");
    }
    if (!Files.isDirectory(root)) {
      throw SecretException.configuration(
          "setting '" + ROOT + "' of provider '" + id + "' names '" + root
              + "', which is not a directory",
          "Mount the secrets there, or point '" + ROOT + "' at the directory they are mounted under");
    }
    String defaultTenant = config.get(DEFAULT_TENANT_DIRECTORY).orElse("default").trim();
    if (!SecretPaths.isPlainSegment(defaultTenant)) {
      throw SecretException.configuration(
          "setting '" + DEFAULT_TENANT_DIRECTORY + "' of provider '" + id + "' is '"
              + defaultTenant + "', not a plain directory name",
          "Use one directory name without '/' that does not start with '.'");
    }
    return new FileOptions(
        root,
        config.flag(TENANT_DIRECTORIES, false),
        defaultTenant,
        maxSize(config));
  }

  private static long maxSize(ProviderConfig config) {
    String text = config.get(MAX_SIZE).orElse(null);
    if (text == null) {
      return DEFAULT_MAX_SIZE;
    }
    try {
      long size = Long.parseLong(text.trim());
      if (size > 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw SecretException.configuration(
        "setting '" + MAX_SIZE + "' of provider '" + config.id() + "' is '" + text
            + "', not a positive number of bytes",
        "Write it as a number of bytes, e.g. 1048576");
  }
}
