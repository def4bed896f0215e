package io.secretfetch.api.mask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Copies a JSON tree with secrets masked; see {@link SecretMasker#redact}. One instance per call. */
final class JsonRedactor {

  private final SecretMasker masker;
  private final Set<String> secretKeys = new HashSet<>();
  private final TextNode token;

  JsonRedactor(SecretMasker masker, Set<String> secretKeys) {
    this.masker = masker;
    for (String key : secretKeys) {
      this.secretKeys.add(normalize(key));
    }
    this.token = TextNode.valueOf(masker.token());
  }

  JsonNode redact(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String name = field.getKey();
        JsonNode value = secretKeys.contains(normalize(name)) ? token : redact(field.getValue());
        copy.set(masker.mask(name), value);
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      for (JsonNode element : node) {
        copy.add(redact(element));
      }
      return copy;
    }
    if (node.isMissingNode() || node.isNull()) {
      return node;
    }
    // Scalars (text, numbers, booleans, binary; POJOs through toString()) are checked as text.
    String text = node.asText();
    String masked = masker.mask(text);
    return masked.equals(text) ? node : TextNode.valueOf(masked);
  }

  private static String normalize(String key) {
    return key == null ? null : key.toLowerCase(Locale.ROOT);
  }
}
