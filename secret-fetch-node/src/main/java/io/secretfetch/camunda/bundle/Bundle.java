package io.secretfetch.camunda.bundle;

import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.SecretManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A flow bundle read into memory: its BPMN files (by path relative to the bundle root, {@code /}
 * separated, sorted) and its {@value SecretManifest#FILE_NAME}, if it has one. A bundle is a folder
 * or a zip file; BPMN files are those ending in {@code .bpmn} or {@code .bpmn20.xml}, at any depth.
 *
 * @param name the folder's name, or the zip's without its extension
 * @param bpmn the BPMN files' bytes by relative path
 * @param manifestJson the manifest's text, or null when the bundle has none
 */
public record Bundle(String name, Map<String, byte[]> bpmn, String manifestJson) {
  private static final long MAX_FILE = 16L * 1024 * 1024;

  public Bundle {
    bpmn = Collections.unmodifiableMap(new TreeMap<>(bpmn));
  }

  /**
   * Reads a bundle folder or zip.
   *
   * @throws ManifestException when {@code path} is neither, or a file is too large
   * @throws IOException when it cannot be read
   */
  public static Bundle open(Path path) throws IOException {
    Map<String, byte[]> bpmn = new TreeMap<>();
    String manifest = null;
    String fileName = path.getFileName() == null ? "bundle" : path.getFileName().toString();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.walk(path)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          String rel = path.relativize(f).toString().replace('\\', '/');
          if (rel.equals(SecretManifest.FILE_NAME)) {
            manifest = Files.readString(f, StandardCharsets.UTF_8);
          } else if (isBpmn(rel)) {
            bpmn.put(rel, Files.readAllBytes(f));
          }
        }
      }
      return new Bundle(fileName, bpmn, manifest);
    }
    if (Files.isRegularFile(path) && fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
      try (ZipFile zip = new ZipFile(path.toFile())) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          String rel = entry.getName();
          if (entry.isDirectory() || !(isBpmn(rel) || rel.equals(SecretManifest.FILE_NAME))) {
            continue;
          }
          byte[] bytes = read(zip, entry, path);
          if (rel.equals(SecretManifest.FILE_NAME)) {
            manifest = new String(bytes, StandardCharsets.UTF_8);
          } else {
            bpmn.put(rel, bytes);
          }
        }
      }
      return new Bundle(fileName.substring(0, fileName.length() - 4), bpmn, manifest);
    }
    throw new ManifestException(path.toString(), "", "is neither a folder nor a .zip file",
        "Give the folder or zip file that holds the bundle's BPMN files");
  }

  private static byte[] read(ZipFile zip, ZipEntry entry, Path path) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
      if (bytes.length > MAX_FILE) {
        throw new ManifestException(path + "!" + entry.getName(), "", "is larger than 16 MiB",
            "Keep BPMN files and the manifest under 16 MiB");
      }
      return bytes;
    }
  }

  private static boolean isBpmn(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".bpmn") || lower.endsWith(".bpmn20.xml");
  }

  /**
   * The bundle's manifest.
   *
   * @throws ManifestException when it is malformed
   */
  public Optional<SecretManifest> manifest() {
    return manifestJson == null ? Optional.empty()
        : Optional.of(SecretManifest.parse(manifestJson, name + "/" + SecretManifest.FILE_NAME));
  }

  @Override
  public String toString() {
    return "Bundle[" + name + ", " + bpmn.keySet() + (manifestJson == null ? "" : ", manifest") + "]";
  }
}
