package io.secretfetch.file;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Turns a secret name and tenant into a file under the root, and refuses what must not be read:
 * names that climb out ({@code ..}, absolute paths), hidden entries (the kubelet's {@code ..data}
 * and timestamped directories), symlinks whose target lies outside the tenant's directory, and
 * files that group or others may read.
 */
final class SecretPaths {
  private static final Set<PosixFilePermission> TOO_OPEN =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final String providerId;
  private final FileOptions options;

  SecretPaths(String providerId, FileOptions options) {
    this.providerId = providerId;
    this.options = options;
  }

  /** One path segment that is neither empty nor hidden nor a climb. */
  static boolean isPlainSegment(String s) {
    return !s.isEmpty() && !s.startsWith(".") && s.indexOf('/') < 0 && s.indexOf('\\') < 0
        && s.indexOf('\0') < 0;
  }

  /**
   * The directory holding {@code context}'s secrets (the root, or the tenant's sub-directory).
   *
   * @throws SecretException {@code ACCESS_DENIED} when the tenant id cannot name a directory
   */
  Path base(SecretContext context) {
    if (!options.tenantDirectories()) {
      return options.root();
    }
    String tenant = context.tenantId();
    if (tenant == null) {
      return options.root().resolve(options.defaultTenantDirectory());
    }
    if (!isPlainSegment(tenant)) {
      throw SecretException.accessDenied(
          "tenant id '" + tenant + "' cannot name a directory of provider '" + providerId + "'",
          "Use tenant ids without '/' that do not start with '.'");
    }
    return options.root().resolve(tenant);
  }

  /**
   * The real (symlink-free) file behind {@code ref} in {@code base}, checked for containment and
   * permissions.
   *
   * @throws SecretException {@code INVALID_REFERENCE} for a bad name, {@code NOT_FOUND} when no
   *     regular file is there, {@code ACCESS_DENIED} for an escape or open permissions
   */
  Path resolve(Path base, SecretRef ref) {
    checkName(ref);
    Path file = base.resolve(ref.name());
    Path real;
    Path realBase;
    try {
      realBase = base.toRealPath();
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw notFound(ref, file);
    } catch (IOException e) {
      throw SecretException.providerUnavailable(
          ref,
          "provider '" + providerId + "' cannot resolve the file " + file + " ("
              + e.getClass().getSimpleName() + ")",
          "Check that the volume is mounted and readable by the engine's user");
    }
    if (!real.startsWith(realBase)) {
      throw SecretException.accessDenied(
          ref,
          "the file " + file + " is a symlink to " + real + ", outside " + realBase
              + "; provider '" + providerId + "' does not follow links out of its root",
          "Mount the secret under " + realBase + ", or point 'root' at the directory it lives in");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw notFound(ref, file);
    }
    checkPermissions(ref, file, real);
    return real;
  }

  private void checkName(SecretRef ref) {
    String name = ref.name();
    if (name.startsWith("/")) {
      throw badName(ref, "is absolute");
    }
    for (String segment : name.split("/", -1)) {
      if (!isPlainSegment(segment)) {
        throw badName(ref, "has the segment '" + segment + "' (empty, hidden or '..')");
      }
    }
  }

  private SecretException badName(SecretRef ref, String why) {
    return SecretException.invalidReference(
        ref,
        "the name '" + ref.name() + "' " + why + "; provider '" + providerId
            + "' reads only files below its root",
        "Name the file by its path relative to the root, e.g. 'db/password'");
  }

  private SecretException notFound(SecretRef ref, Path file) {
    return SecretException.notFound(
        ref,
        "provider '" + providerId + "' has no file " + file,
        "Mount the secret at " + file + ", or correct the name");
  }

  // Group/other access is the usual mistake (Kubernetes' default mode is 0644); refuse it loudly.
  private void checkPermissions(SecretRef ref, Path file, Path real) {
    PosixFileAttributeView view =
        Files.getFileAttributeView(real, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return; // not a POSIX file system: nothing to check
    }
    Set<PosixFilePermission> perms;
    try {
      perms = view.readAttributes().permissions();
    } catch (IOException e) {
      throw SecretException.providerUnavailable(
          ref,
          "provider '" + providerId + "' cannot read the permissions of " + file,
          "Check that the volume is mounted and readable by the engine's user");
    }
    if (perms.stream().anyMatch(TOO_OPEN::contains)) {
      throw SecretException.accessDenied(
          ref,
          "the file " + file + " is readable or writable by group or others ("
              + PosixFilePermissions.toString(perms)
              + "); provider '" + providerId + "' refuses it",
          "Run 'chmod 600 " + real + "'; for a Kubernetes Secret volume set 'defaultMode: 0400',"
              + " for a Compose/Swarm secret 'mode: 0400'");
    }
  }
}
