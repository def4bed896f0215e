package io.secretfetch.api.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON side of manifests and reports: one strict reader, one deterministic writer. */
final class ManifestJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private static final Set<String> ROOT_KEYS = Set.of("schemaVersion", "bundle", "slots");
  private static final Set<String> SLOT_KEYS =
      Set.of("slot", "label", "provider", "secretRef", "usedBy");
  private static final Set<String> REF_KEYS = Set.of("name", "version", "field");
  private static final Set<String> USAGE_KEYS = Set.of("file", "element");

  private ManifestJson() {}

  /** Two-space indent, {@code \n} line ends, a final newline. */
  static String write(JsonNode tree) {
    try {
      return MAPPER.writer(PRINTER).writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static ObjectNode toTree(SecretManifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", m.schemaVersion());
    root.put("bundle", m.bundle());
    ArrayNode slots = root.putArray("slots");
    for (ManifestSlot s : m.slots()) {
      ObjectNode o = slots.addObject();
      o.put("slot", s.slot());
      if (s.label() != null) {
        o.put("label", s.label());
      }
      if (s.ref() != null) {
        if (s.ref().provider() != null) {
          o.put("provider", s.ref().provider());
        }
        ObjectNode ref = o.putObject("secretRef");
        ref.put("name", s.ref().name());
        if (s.ref().version() != null) {
          ref.put("version", s.ref().version());
        }
        if (s.ref().field() != null) {
          ref.put("field", s.ref().field());
        }
      }
      ArrayNode used = o.putArray("usedBy");
      for (SlotUsage u : s.usedBy()) {
        used.addObject().put("file", u.file()).put("element", u.element());
      }
    }
    return root;
  }

  /**
   * Parses JSON text into a tree; broken JSON is reported by line and column only, since the
   * parser's own message may quote the text (in a bindings profile, a value).
   */
  static JsonNode tree(String json, String source) {
    try (JsonParser p = MAPPER.createParser(json)) {
      JsonNode node = MAPPER.readTree(p);
      if (node == null || node.isMissingNode()) {
        throw new ManifestException(source, "", "the file is empty",
            "Write a JSON object, or export the bundle again");
      }
      if (p.nextToken() != null) {
        throw new ManifestException(source, at(p.currentLocation()),
            "there is more text after the JSON object", "Remove it");
      }
      return node;
    } catch (JsonProcessingException e) {
      ManifestException duplicate = duplicateKey(e, source);
      if (duplicate != null) {
        throw duplicate;
      }
      throw new ManifestException(source, at(e.getLocation()), "this is not valid JSON",
          "Correct the JSON syntax there (a JSON linter shows the exact spot)");
    } catch (java.io.IOException e) {
      throw new ManifestException(source, "", "cannot be read", "Check the file");
    }
  }

  /**
   * The problem for a key given twice in one object (refused by the parser, {@code
   * STRICT_DUPLICATE_DETECTION}: other readers would silently keep the last one), at the JSON
   * pointer of the second one; {@code null} for any other parse failure. Names the key only.
   */
  static ManifestException duplicateKey(JsonProcessingException e, String source) {
    if (!(e.getProcessor() instanceof JsonParser p) || p.getParsingContext() == null) {
      return null;
    }
    String key = p.getParsingContext().getCurrentName();
    // Jackson has no exception type of its own for this; its message is exactly this text.
    if (key == null || !("Duplicate field '" + key + "'").equals(e.getOriginalMessage())) {
      return null;
    }
    return new ManifestException(source, p.getParsingContext().pathAsPointer().toString(),
        "the key '" + key + "' appears twice in the same object (" + at(e.getLocation()) + ")",
        "Keep one '" + key + "' and remove the other; which one was meant is not guessed");
  }

  static String at(JsonLocation l) {
    return l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  static SecretManifest readManifest(String json, String source) {
    JsonNode root = tree(json, source);
    Reader r = new Reader(source);
    r.object(root, "", ROOT_KEYS);
    JsonNode version = root.get("schemaVersion");
    if (version == null || !version.canConvertToExactIntegral() || !version.canConvertToInt()) {
      throw r.error("/schemaVersion", version == null ? "schemaVersion is missing"
          : "schemaVersion is not a whole number",
          "Write \"schemaVersion\": " + SecretManifest.SCHEMA_VERSION);
    }
    if (version.intValue() != SecretManifest.SCHEMA_VERSION) {
      throw r.error("/schemaVersion", "unknown schemaVersion " + version.intValue()
          + "; this version of Secret Fetch reads " + SecretManifest.SCHEMA_VERSION,
          "Export the bundle again with this version of Secret Fetch, or upgrade Secret Fetch");
    }
    String bundle = r.text(root, "/bundle", "bundle", true);
    JsonNode slotsNode = root.get("slots");
    if (slotsNode == null || !slotsNode.isArray()) {
      throw r.error("/slots", "slots is missing or not an array",
          "Write \"slots\": [ ... ], one object per slot");
    }
    List<ManifestSlot> slots = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < slotsNode.size(); i++) {
      String at = "/slots/" + i;
      ManifestSlot slot = r.slot(slotsNode.get(i), at);
      Integer first = seen.putIfAbsent(slot.slot(), i);
      if (first != null) {
        ManifestSlot other = slots.get(first);
        if (java.util.Objects.equals(other.ref(), slot.ref())) {
          throw r.error(at + "/slot", "slot '" + slot.slot() + "' is listed twice (also at /slots/"
              + first + ")", "Keep one entry and join the usedBy lists of both");
        }
        throw r.error(at + "/slot", "two slots named '" + slot.slot()
            + "' are bound to different refs (" + other.ref() + " at /slots/" + first + " and "
            + slot.ref() + "); a slot names exactly one secret",
            "Rename one of the slots, or bind both to the same ref");
      }
      slots.add(slot);
    }
    return SecretManifest.of(bundle, slots);
  }

  /** Walks a tree, naming each place by its JSON pointer. */
  private record Reader(String source) {
    ManifestException error(String pointer, String problem, String fix) {
      return new ManifestException(source, pointer.isEmpty() ? "/" : pointer, problem, fix);
    }

    void object(JsonNode node, String pointer, Set<String> keys) {
      if (node == null || !node.isObject()) {
        throw error(pointer, "expected a JSON object", "Write an object { ... } here");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!keys.contains(key)) {
          throw error(pointer, "unknown key '" + key + "'",
              "Remove it, or correct its spelling; the keys here are " + new java.util.TreeSet<>(keys));
        }
      }
    }

    String text(JsonNode parent, String pointer, String key, boolean required) {
      JsonNode n = parent.get(key);
      if (n == null || n.isNull()) {
        if (required) {
          throw error(pointer, key + " is missing", "Add \"" + key + "\": \"...\"");
        }
        return null;
      }
      if (!n.isTextual() || n.textValue().isBlank()) {
        throw error(pointer, key + " must be a non-empty string", "Write a string here");
      }
      return n.textValue();
    }

    ManifestSlot slot(JsonNode node, String at) {
      object(node, at, SLOT_KEYS);
      String name = text(node, at + "/slot", "slot", true);
      if (!SecretManifest.SLOT_NAME.matcher(name).matches()) {
        throw error(at + "/slot", "slot name '" + name + "' is not allowed",
            "Use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      String label = text(node, at + "/label", "label", false);
      String provider = text(node, at + "/provider", "provider", false);
      SecretRef ref = null;
      JsonNode refNode = node.get("secretRef");
      if (refNode != null && !refNode.isNull()) {
        String rp = at + "/secretRef";
        object(refNode, rp, REF_KEYS);
        try {
          ref = new SecretRef(provider, text(refNode, rp + "/name", "name", true),
              text(refNode, rp + "/version", "version", false),
              text(refNode, rp + "/field", "field", false));
        } catch (ManifestException e) {
          throw e;
        } catch (SecretException e) {
          throw error(rp, "not a valid secret reference: " + e.detail(),
              "Correct the provider, name, version or field");
        }
      } else if (provider != null) {
        throw error(at, "slot '" + name + "' names a provider but no secretRef",
            "Add \"secretRef\": {\"name\": \"...\"} naming the secret this slot is bound to");
      }
      List<SlotUsage> usages = new ArrayList<>();
      JsonNode used = node.get("usedBy");
      if (used != null && !used.isNull()) {
        if (!used.isArray()) {
          throw error(at + "/usedBy", "usedBy must be an array",
              "Write [{\"file\": \"...\", \"element\": \"...\"}]");
        }
        for (int j = 0; j < used.size(); j++) {
          String up = at + "/usedBy/" + j;
          object(used.get(j), up, USAGE_KEYS);
          usages.add(new SlotUsage(text(used.get(j), up + "/file", "file", true),
              text(used.get(j), up + "/element", "element", true)));
        }
      }
      return new ManifestSlot(name, label, ref, usages);
    }
  }
}
