package io.secretfetch.api.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A bindings profile: the values an operator gives a bundle's slots, to be stored under each
 * slot's secret ref.
 *
 * <pre>
 * {
 *   "bindings": {
 *     "api-key": {"secret": "the value"},
 *     "webhook-secret": {"secret": {"generate": {"length": 32, "alphabet": "base62"}}}
 *   }
 * }
 * </pre>
 *
 * <p>Each entry may carry an {@code "about"} string (the template writes the label and ref there);
 * the root may carry {@code "bundle"}. Both are ignored. A {@code "secret"} still holding the
 * template's {@value #PLACEHOLDER} reads as {@link Unfilled}.
 *
 * <p>The profile holds literal values in memory, as {@code char[]} copied straight from the
 * parser's buffer (never as {@code String}); {@link #close()} overwrites them. {@link #toString()}
 * and every error show slot names and kinds only, never a value.
 */
public final class BindingsProfile implements AutoCloseable {
  /** What the template writes where a value belongs. */
  public static final String PLACEHOLDER = "<fill in>";

  /** What a profile says about one slot. */
  public sealed interface Binding permits Literal, Generate, Unfilled {}

  /** A value given in the profile. */
  public static final class Literal implements Binding {
    private final char[] value;

    Literal(char[] value) {
      this.value = value;
    }

    /** The value, read-only and not copied: valid until the profile is closed. */
    public CharBuffer reveal() {
      return CharBuffer.wrap(value).asReadOnlyBuffer();
    }

    void wipe() {
      Arrays.fill(value, '\0');
    }

    @Override
    public String toString() {
      return "literal";
    }
  }

  /**
   * A request that the store generate the value.
   *
   * @param length the number of characters
   * @param alphabet the alphabet's name, e.g. {@code base62}; the store says which it knows
   */
  public record Generate(int length, String alphabet) implements Binding {
    public Generate {
      Objects.requireNonNull(alphabet, "alphabet");
    }

    @Override
    public String toString() {
      return "generate(" + length + ", " + alphabet + ")";
    }
  }

  /** The template's placeholder, not yet replaced by a value. */
  public record Unfilled() implements Binding {
    @Override
    public String toString() {
      return "unfilled";
    }
  }

  private final Map<String, Binding> bindings;

  private BindingsProfile(Map<String, Binding> bindings) {
    this.bindings = Collections.unmodifiableMap(bindings);
  }

  /** Each slot's binding, sorted by slot name. */
  public Map<String, Binding> bindings() {
    return bindings;
  }

  /**
   * Reads a profile file; the bytes read are overwritten once parsed.
   *
   * @throws ManifestException naming the file, the place and the fix; never quoting a value
   */
  public static BindingsProfile read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(bytes, file.toString());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Parses a profile from UTF-8 JSON; the caller keeps (and should wipe) {@code json}.
   *
   * @throws ManifestException naming the source, the place and the fix; never quoting a value
   */
  public static BindingsProfile parse(byte[] json, String source) {
    Map<String, Binding> out = new TreeMap<>();
    try (JsonParser p = ManifestJson.MAPPER.createParser(json)) {
      new Parse(p, source, out).profile();
      return new BindingsProfile(out);
    } catch (JsonProcessingException e) {
      wipe(out);
      ManifestException duplicate = ManifestJson.duplicateKey(e, source);
      if (duplicate != null) {
        throw duplicate;
      }
      throw new ManifestException(source, at(e.getLocation()), "this is not valid JSON",
          "Correct the JSON syntax there (a JSON linter shows the exact spot)");
    } catch (IOException e) {
      wipe(out);
      throw new ManifestException(source, "", "cannot be read", "Check the file");
    } catch (RuntimeException e) {
      wipe(out);
      throw e;
    }
  }

  /**
   * A profile to fill in: one entry per slot of {@code manifest}, each with the placeholder
   * {@value #PLACEHOLDER} and an {@code "about"} naming the label and ref. Never holds a value.
   */
  public static String template(SecretManifest manifest) {
    ObjectNode root = ManifestJson.MAPPER.createObjectNode();
    root.put("bundle", manifest.bundle());
    ObjectNode all = root.putObject("bindings");
    for (ManifestSlot s : manifest.slots()) {
      ObjectNode entry = all.putObject(s.slot());
      entry.put("about", (s.label() == null ? s.slot() : s.label()) + " -> "
          + (s.ref() == null ? "no secret ref in the manifest" : s.ref().toString())
          + "; or {\"generate\": {\"length\": 32, \"alphabet\": \"base62\"}}");
      entry.put("secret", PLACEHOLDER);
    }
    return ManifestJson.write(root);
  }

  /** Overwrites every literal value held. */
  @Override
  public void close() {
    wipe(bindings);
  }

  private static void wipe(Map<String, Binding> map) {
    for (Binding b : map.values()) {
      if (b instanceof Literal l) {
        l.wipe();
      }
    }
  }

  /** {@code BindingsProfile[api-key=literal, webhook=generate(32, base62)]}: never a value. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "BindingsProfile[", "]");
    bindings.forEach((slot, b) -> j.add(slot + "=" + b));
    return j.toString();
  }

  private static String at(JsonLocation l) {
    return l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  /** A streaming walk, so values go from the parser's buffer into char arrays, never Strings. */
  private record Parse(JsonParser p, String source, Map<String, Binding> out) {
    ManifestException error(String problem, String fix) {
      return new ManifestException(source, at(p.currentTokenLocation()), problem, fix);
    }

    void expect(JsonToken token, String what) throws IOException {
      if (p.nextToken() != token) {
        throw error("expected " + what, "Write " + what + " here");
      }
    }

    void profile() throws IOException {
      expect(JsonToken.START_OBJECT, "a JSON object");
      boolean found = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (key.equals("bundle")) {
          expect(JsonToken.VALUE_STRING, "the bundle name, a string");
        } else if (key.equals("bindings")) {
          found = true;
          bindings();
        } else {
          throw error("unknown key '" + key + "' at the top level",
              "Put the slots inside \"bindings\": {\"<slot>\": {\"secret\": ...}}");
        }
      }
      if (!found) {
        throw error("no \"bindings\" object", "Write {\"bindings\": {\"<slot>\": {\"secret\": ...}}},"
            + " or start from the template");
      }
      if (p.nextToken() != null) {
        throw error("there is more text after the JSON object", "Remove it");
      }
    }

    void bindings() throws IOException {
      expect(JsonToken.START_OBJECT, "an object of slots");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String slot = p.currentName();
        if (!SecretManifest.SLOT_NAME.matcher(slot).matches()) {
          throw error("'" + slot + "' is not a slot name",
              "Use the slot names of the bundle's manifest (the template lists them)");
        }
        expect(JsonToken.START_OBJECT, "an object {\"secret\": ...} for slot '" + slot + "'");
        Binding binding = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          if (key.equals("about")) {
            expect(JsonToken.VALUE_STRING, "a string");
          } else if (key.equals("secret")) {
            binding = secret(slot);
            out.put(slot, binding);
          } else {
            throw error("unknown key '" + key + "' in slot '" + slot + "'",
                "A slot entry has \"secret\" (and an optional \"about\")");
          }
        }
        if (binding == null) {
          throw error("slot '" + slot + "' has no \"secret\"",
              "Write \"secret\": \"<value>\" or \"secret\": {\"generate\": {\"length\": 32}}");
        }
      }
    }

    Binding secret(String slot) throws IOException {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_STRING) {
        char[] value = Arrays.copyOfRange(p.getTextCharacters(), p.getTextOffset(),
            p.getTextOffset() + p.getTextLength());
        if (Arrays.equals(value, PLACEHOLDER.toCharArray())) {
          return new Unfilled();
        }
        if (value.length == 0) {
          throw error("slot '" + slot + "' has an empty secret",
              "Write the value, or {\"generate\": {\"length\": 32}}");
        }
        return new Literal(value);
      }
      if (t != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
          || !"generate".equals(p.currentName())) {
        throw error("the secret of slot '" + slot + "' is neither a string nor {\"generate\": ...}",
            "Write \"secret\": \"<value>\" or \"secret\": {\"generate\": {\"length\": 32,"
                + " \"alphabet\": \"base62\"}}");
      }
      expect(JsonToken.START_OBJECT, "{\"length\": ..., \"alphabet\": ...}");
      Integer length = null;
      String alphabet = "base62";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("length") && v == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() == JsonParser.NumberType.INT) {
          length = p.getIntValue();
        } else if (key.equals("alphabet") && v == JsonToken.VALUE_STRING) {
          alphabet = p.getText();
        } else {
          throw error("generate for slot '" + slot + "' has a bad or unknown key '" + key + "'",
              "Write {\"generate\": {\"length\": 32, \"alphabet\": \"base62\"}}");
        }
      }
      if (length == null) {
        throw error("generate for slot '" + slot + "' has no length",
            "Add \"length\": 32 (or more)");
      }
      expect(JsonToken.END_OBJECT, "the end of the secret object '}'");
      return new Generate(length, alphabet);
    }
  }
}
