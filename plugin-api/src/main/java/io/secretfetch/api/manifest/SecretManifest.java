package io.secretfetch.api.manifest;

import io.secretfetch.api.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A bundle's {@value #FILE_NAME}: the secrets its flows need, as slots bound to secret references,
 * and where each is used. Never holds a value.
 *
 * <pre>
 * {
 *   "schemaVersion": 1,
 *   "bundle": "quickstart",
 *   "slots": [
 *     {
 *       "slot": "api-key",
 *       "label": "API key",
 *       "provider": "platform",
 *       "secretRef": {"name": "api-key", "version": "3", "field": "token"},
 *       "usedBy": [{"file": "quickstart.bpmn", "element": "fetchApiKey"}]
 *     }
 *   ]
 * }
 * </pre>
 *
 * <p>{@code label}, {@code provider} (absent: the target's default provider), {@code version}
 * (absent: the active one) and {@code field} are optional. The JSON Schema is the resource {@value
 * #SCHEMA_RESOURCE}. {@link #toJson()} is deterministic: slots sorted by name, usages by file and
 * element, two-space indent, {@code \n} line ends and a final newline, so the same manifest is
 * always the same bytes.
 *
 * @param schemaVersion the format version; this library reads and writes {@value #SCHEMA_VERSION}
 * @param bundle the bundle's name
 * @param slots the slots, sorted by name, names unique
 */
public record SecretManifest(int schemaVersion, String bundle, List<ManifestSlot> slots) {
  /** The file name of a manifest in a bundle. */
  public static final String FILE_NAME = "secret-manifest.json";
  /** The format version written and read. */
  public static final int SCHEMA_VERSION = 1;
  /** The class-path resource of the JSON Schema. */
  public static final String SCHEMA_RESOURCE =
      "/io/secretfetch/api/manifest/secret-manifest.schema.json";

  static final Pattern SLOT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public SecretManifest {
    Objects.requireNonNull(bundle, "bundle");
    List<ManifestSlot> sorted = new ArrayList<>(slots);
    sorted.sort(Comparator.comparing(ManifestSlot::slot));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).slot().equals(sorted.get(i - 1).slot())) {
        throw new IllegalArgumentException("slot '" + sorted.get(i).slot() + "' is listed twice");
      }
    }
    slots = List.copyOf(sorted);
  }

  /** A manifest of the current {@link #SCHEMA_VERSION}. */
  public static SecretManifest of(String bundle, List<ManifestSlot> slots) {
    return new SecretManifest(SCHEMA_VERSION, bundle, slots);
  }

  /** The slot of that name. */
  public Optional<ManifestSlot> slot(String name) {
    return slots.stream().filter(s -> s.slot().equals(name)).findFirst();
  }

  /** Each slot by name. */
  public Map<String, ManifestSlot> slotsByName() {
    Map<String, ManifestSlot> out = new HashMap<>();
    slots.forEach(s -> out.put(s.slot(), s));
    return out;
  }

  /** The slot bound to {@code ref} (compared as written), if any. */
  public Optional<ManifestSlot> slotOf(SecretRef ref) {
    return slots.stream().filter(s -> ref.equals(s.ref())).findFirst();
  }

  /**
   * Reads a manifest.
   *
   * @throws ManifestException naming the file, the place and the fix when it is not valid
   * @throws IOException when the file cannot be read
   */
  public static SecretManifest read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses a manifest's JSON text.
   *
   * @param source names the text in error messages, e.g. its file name
   * @throws ManifestException naming the source, the place and the fix when it is not valid
   */
  public static SecretManifest parse(String json, String source) {
    return ManifestJson.readManifest(json, source);
  }

  /** The manifest as JSON; same manifest, same bytes. */
  public String toJson() {
    return ManifestJson.write(ManifestJson.toTree(this));
  }

  /** Writes {@link #toJson()} to {@code file} as UTF-8. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }
}
