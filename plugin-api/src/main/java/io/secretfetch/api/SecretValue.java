package io.secretfetch.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.secretfetch.api.internal.SecretValueJsonSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resolved secret: the secret-typed value every provider produces and every host hands on.
 *
 * <p>The plaintext comes out only through the explicit verbs {@link #reveal()}, {@link
 * #revealBytes()} and {@link #revealJson()} (search the code base for them to find every use).
 * {@link #toString()} prints the reference and {@code ***}; Jackson writes the reference and {@code
 * ***}; exceptions name the reference only. {@code equals} and {@code hashCode} are identity, so
 * no map or log of values can reveal or compare plaintext by accident: use {@link
 * #equalsSecret(SecretValue)}, which runs in constant time.
 *
 * <p>{@link #close()} overwrites the buffer; any verb afterwards throws {@link
 * IllegalStateException}. Instances are safe to share between threads until closed.
 */
@JsonSerialize(using = SecretValueJsonSerializer.class)
public final class SecretValue implements AutoCloseable {
  /** Jackson's message for a repeated key; the key is structure, not the value. */
  private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");
  private static final ObjectMapper JSON = JsonMapper.builder()
      // A key given twice is refused, never read last-one-wins.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final int MAX_LISTED_FIELDS = 10;

  private final SecretMetadata metadata;
  private final byte[] bytes;
  private volatile boolean closed;

  private SecretValue(SecretMetadata metadata, byte[] bytes) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.bytes = bytes;
  }

  /** A text secret; the characters are copied (as UTF-8) and the caller may wipe its own copy. */
  public static SecretValue ofText(SecretMetadata metadata, CharSequence value) {
    Objects.requireNonNull(value, "value");
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] copy = new byte[encoded.remaining()];
    encoded.get(copy);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return new SecretValue(metadata, copy);
  }

  /** A binary (or already UTF-8 encoded) secret; the bytes are copied. */
  public static SecretValue ofBytes(SecretMetadata metadata, byte[] value) {
    Objects.requireNonNull(value, "value");
    return new SecretValue(metadata, value.clone());
  }

  /** Takes ownership of {@code value} without copying; for the resolver's own buffers. */
  static SecretValue wrap(SecretMetadata metadata, byte[] value) {
    return new SecretValue(metadata, value);
  }

  /** The non-secret facts: reference, resolved version, fetch and expiry times. */
  public SecretMetadata metadata() {
    return metadata;
  }

  public SecretRef ref() {
    return metadata.ref();
  }

  /** The version the provider resolved, never null. */
  public String version() {
    return metadata.version();
  }

  public Instant fetchedAt() {
    return metadata.fetchedAt();
  }

  /** When the secret expires, or null. */
  public Instant expiresAt() {
    return metadata.expiresAt();
  }

  /** The plaintext as a string. Throws {@code MALFORMED_VALUE} if the bytes are not UTF-8. */
  public String reveal() {
    checkOpen();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw SecretException.malformedValue(
          ref(),
          "the value is binary, not UTF-8 text",
          "Read it with revealBytes(), or store the secret as text");
    }
  }

  /** A copy of the plaintext bytes (UTF-8 for text secrets); the caller should wipe it after use. */
  public byte[] revealBytes() {
    checkOpen();
    return bytes.clone();
  }

  /**
   * The plaintext parsed as JSON. Throws {@code MALFORMED_VALUE} naming the line and column (never
   * the content) when it is not JSON.
   */
  public JsonNode revealJson() {
    checkOpen();
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw notJson(null);
      }
      return node;
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE_KEY.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.matches()) {
        throw SecretException.malformedValue(ref(),
            "the value's JSON gives the key '" + duplicate.group(1) + "' twice" + at(e.getLocation()),
            "Store the secret with each key once: readers disagree on which of the two counts");
      }
      throw notJson(e.getLocation());
    } catch (IOException e) {
      throw notJson(null);
    }
  }

  /**
   * One field of a JSON-object secret, as a secret of its own: a string field yields its text,
   * any other field its JSON text. The result's reference carries the field.
   *
   * @throws SecretException {@code MALFORMED_VALUE} if this is not a JSON object or has no such
   *     field; the message names the key and the keys present, never a value
   */
  public SecretValue field(String key) {
    Objects.requireNonNull(key, "key");
    JsonNode node = revealJson();
    SecretRef fieldRef = ref().withField(key);
    if (!node.isObject()) {
      throw SecretException.malformedValue(
          fieldRef,
          "the secret is JSON but not an object, so field '" + key + "' cannot be selected",
          "Store the secret as a JSON object, or remove the field from the reference");
    }
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw SecretException.malformedValue(
          fieldRef,
          "the secret has no field '" + key + "' (fields present: " + fieldNames(node) + ")",
          "Use one of the fields present, or add '" + key + "' to the secret");
    }
    byte[] out =
        child.isTextual()
            ? child.textValue().getBytes(StandardCharsets.UTF_8)
            : child.toString().getBytes(StandardCharsets.UTF_8);
    return new SecretValue(metadata.withRef(fieldRef), out);
  }

  /** Compares the plaintext of two values in time independent of where they differ. */
  public boolean equalsSecret(SecretValue other) {
    checkOpen();
    other.checkOpen();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Overwrites the plaintext buffer. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  /** {@code SecretValue[platform:db-password@3, ***]}; never the value. */
  @Override
  public String toString() {
    return "SecretValue[" + metadata.resolvedRef() + (closed ? ", closed]" : ", ***]");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "SecretValue for '" + metadata.resolvedRef() + "' is closed; resolve it again");
    }
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0
        ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private SecretException notJson(JsonLocation location) {
    String where = at(location);
    return SecretException.malformedValue(
        ref(),
        "the value is not valid JSON" + where,
        "Store the secret as JSON, or use outputFormat raw");
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    while (it.hasNext() && names.size() < MAX_LISTED_FIELDS) {
      names.add(it.next());
    }
    if (it.hasNext()) {
      names.add("...");
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
