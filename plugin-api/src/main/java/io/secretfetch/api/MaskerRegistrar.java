package io.secretfetch.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.secretfetch.api.mask.SecretMasker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Tells the masker about every value the resolver returns, labelled with its resolved reference
 * (never the value), so the masker's warning about a short value can say which secret it is.
 */
final class MaskerRegistrar {

  private static final ObjectMapper JSON = JsonMapper.builder()
      // A key given twice is refused, never read last-one-wins.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final SecretMasker masker;

  MaskerRegistrar(SecretMasker masker) {
    this.masker = masker;
  }

  SecretMasker masker() {
    return masker;
  }

  /** Registers a value and, for a JSON value, each string inside it. */
  void registerWithJsonStrings(byte[] bytes, SecretRef resolved) {
    register(bytes, resolved.toString());
    registerJsonStrings(bytes, resolved);
  }

  /** Registers a value; {@code label} is its reference text, never the value. */
  void register(byte[] bytes, String label) {
    try {
      masker.register(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes)),
          label);
    } catch (CharacterCodingException e) {
      // Binary secrets reach logs, if at all, as base64.
      masker.register(Base64.getEncoder().encodeToString(bytes), label);
    }
  }

  /** Registers each string inside a JSON secret, so a field logged on its own is masked too. */
  private void registerJsonStrings(byte[] bytes, SecretRef resolved) {
    if (bytes.length == 0 || (bytes[0] != '{' && bytes[0] != '[')) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException notJson) {
      return; // a text secret that merely starts with a bracket
    }
    // Labels name the top-level field a string sits in (field names are not secret).
    List<Map.Entry<JsonNode, String>> stack =
        new ArrayList<>(List.of(Map.entry(root, resolved + " (a string inside its JSON value)")));
    while (!stack.isEmpty()) {
      Map.Entry<JsonNode, String> next = stack.remove(stack.size() - 1);
      JsonNode node = next.getKey();
      if (node.isTextual()) {
        masker.register(node.textValue(), next.getValue());
      } else if (node == root && node.isObject()) {
        node.properties().forEach(
            field -> stack.add(Map.entry(field.getValue(),
                resolved.withField(field.getKey()).toString())));
      } else if (node.isContainerNode()) {
        node.elements().forEachRemaining(child -> stack.add(Map.entry(child, next.getValue())));
      }
    }
  }
}
