package io.secretfetch.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Real files laid out the way Docker and the kubelet mount secrets. */
final class Mounts {
  private Mounts() {}

  /** A Docker/Compose-style secret: a plain file, mode 0600 unless told otherwise. */
  static Path write(Path dir, String name, String value) throws IOException {
    return write(dir, name, value, "rw-------");
  }

  static Path write(Path dir, String name, String value, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, value, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  /**
   * A Kubernetes Secret volume: {@code NAME -> ..data/NAME}, {@code ..data -> ..<timestamp>}.
   * {@link #swap} writes a new generation and flips {@code ..data} atomically, as the kubelet does.
   */
  static final class KubeVolume {
    private final Path dir;
    private int generation;

    KubeVolume(Path dir, Map<String, String> data) throws IOException {
      this.dir = dir;
      Path first = writeGeneration(data);
      Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
      for (String key : data.keySet()) {
        Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
      }
    }

    void swap(Map<String, String> data) throws IOException {
      Path old = dir.resolve("..data").toRealPath();
      Path next = writeGeneration(data);
      Path tmp = dir.resolve("..data_tmp");
      Files.createSymbolicLink(tmp, next.getFileName());
      Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      try (Stream<Path> files = Files.walk(old)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    private Path writeGeneration(Map<String, String> data) throws IOException {
      Path gen = dir.resolve("..2026_12_04_20_00_00." + (++generation));
      Files.createDirectories(gen);
      for (Map.Entry<String, String> e : data.entrySet()) {
        // kubelet defaultMode: 0400
        write(gen, e.getKey(), e.getValue(), "r--------");
      }
      return gen;
    }
  }
}
