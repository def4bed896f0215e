package io.secretfetch.file;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Secrets from files under one directory: Kubernetes Secret volumes (the kubelet's {@code ..data}
 * symlink swap), Docker/Compose secrets ({@code /run/secrets/NAME}), Vault Agent or CSI driver
 * output.
 *
 * <p>The name is the file's path relative to the root (or the tenant's sub-directory). The
 * version is the first 16 hex digits of the SHA-256 of the content, so a pin names exactly one
 * content and a pin that no longer matches is {@code VERSION_NOT_FOUND}. Every fetch re-reads the
 * file: there is no stale value after a change (the resolver caches). JSON fields ({@code #field})
 * are selected by the resolver, not here.
 *
 * <p>Refused, naming the file and never its content: names with {@code ..}, absolute or hidden
 * segments; symlinks resolving outside the root; files group or others may read or write; files
 * over {@code max-size}. After {@link #close()} every call throws {@link IllegalStateException}.
 */
public final class FileSecretProvider implements SecretProvider {
  private static final int VERSION_HEX_DIGITS = 16;

  private final String id;
  private final FileOptions options;
  private final SecretPaths paths;
  private final Clock clock;
  private volatile boolean closed;

  public FileSecretProvider(String id, FileOptions options, Clock clock) {
    this.id = Objects.requireNonNull(id, "id");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.paths = new SecretPaths(id, options);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    ensureOpen();
    byte[] content = read(ref, context, true);
    try {
      String version = version(content);
      if (ref.pinned() && !ref.version().equals(version)) {
        throw SecretException.versionNotFound(
            ref,
            "the file for '" + ref.name() + "' of provider '" + id + "' is now version " + version
                + ", not the pinned " + ref.version(),
            "Remove the pin to read the current content, or pin version " + version);
      }
      return SecretValue.ofBytes(new SecretMetadata(ref, version, clock.instant(), null), content);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /** Checks existence, containment and permissions without reading; pinned refs are read. */
  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    ensureOpen();
    Map<SecretRef, SecretCheck> results = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      if (results.containsKey(ref)) {
        continue;
      }
      try {
        if (ref.pinned()) {
          fetch(ref, context).close();
        } else {
          checkSize(ref, paths.resolve(base(context, ref), ref));
        }
        results.put(ref, SecretCheck.ok(ref));
      } catch (SecretException e) {
        results.put(ref, SecretCheck.failed(ref, e));
      }
    }
    return results;
  }

  /** The names of the regular files under the tenant's directory; hidden entries are skipped. */
  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    ensureOpen();
    String wanted = prefix == null ? "" : prefix;
    Path base = paths.base(context);
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    List<SecretSummary> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base)) {
      walk.filter(p -> !p.equals(base))
          .filter(p -> notHidden(base.relativize(p)))
          .filter(Files::isRegularFile)
          .map(p -> base.relativize(p).toString().replace('\\', '/'))
          .filter(name -> name.startsWith(wanted))
          .sorted()
          .forEach(name -> out.add(SecretSummary.of(name)));
    } catch (IOException | UncheckedIOException e) {
      throw SecretException.providerUnavailable(
          "provider '" + id + "' cannot list " + base + " (" + e.getClass().getSimpleName() + ")",
          "Check that the volume is mounted and readable by the engine's user");
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FileSecretProvider[id=" + id + ", root=" + options.root() + ", tenantDirectories="
        + options.tenantDirectories() + "]";
  }

  private byte[] read(SecretRef ref, SecretContext context, boolean retry) {
    Path file = paths.resolve(base(context, ref), ref);
    checkSize(ref, file);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (retry) {
        // The kubelet removed the old generation between resolve and read: resolve again.
        return read(ref, context, false);
      }
      throw unavailable(ref, file, e);
    } catch (AccessDeniedException e) {
      throw SecretException.accessDenied(
          ref,
          "provider '" + id + "' may not read the file " + file,
          "Make the file readable by the user the engine runs as (owner read, mode 0400)");
    } catch (IOException e) {
      throw unavailable(ref, file, e);
    }
  }

  private void checkSize(SecretRef ref, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw unavailable(ref, file, e);
    }
    if (size > options.maxSize()) {
      throw SecretException.malformedValue(
          ref,
          "the file " + file + " has " + size + " bytes, over the " + options.maxSize()
              + " allowed by provider '" + id + "'",
          "Raise '" + FileOptions.MAX_SIZE + "', or mount a smaller secret");
    }
  }

  private SecretException unavailable(SecretRef ref, Path file, IOException e) {
    return SecretException.providerUnavailable(
        ref,
        "provider '" + id + "' cannot read the file " + file + " (" + e.getClass().getSimpleName()
            + ")",
        "Check that the volume is mounted and readable by the engine's user");
  }

  private Path base(SecretContext context, SecretRef ref) {
    try {
      return paths.base(context);
    } catch (SecretException e) {
      throw e.withRef(ref);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(
          "provider '" + id + "' is closed; build a new one from its configuration");
    }
  }

  private static boolean notHidden(Path relative) {
    for (Path segment : relative) {
      if (segment.toString().startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  static String version(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return HexFormat.of().formatHex(digest).substring(0, VERSION_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
