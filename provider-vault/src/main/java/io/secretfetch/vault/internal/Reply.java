package io.secretfetch.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * Vault's answer to one request: the status and the body. The body may hold secret values: it is
 * never logged or put into messages, and {@link #wipe()} overwrites it once it has been used.
 */
final class Reply {
  static final ObjectMapper JSON = JsonMapper.builder()
      // A key given twice is refused, never read last-one-wins.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final int status;
  private final byte[] body;
  private JsonNode json;

  Reply(int status, byte[] body) {
    this.status = status;
    this.body = body == null ? new byte[0] : body;
  }

  /** A status whose body the driver did not hand back (it raises 5xx, 412 as exceptions). */
  static Reply status(int status) {
    return new Reply(status, null);
  }

  int status() {
    return status;
  }

  boolean ok() {
    return status == 200 || status == 204;
  }

  /** The body as JSON; a missing node when there is no body or it is not JSON. */
  JsonNode json() {
    if (json == null) {
      try {
        json = body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body);
      } catch (IOException e) {
        json = MissingNode.getInstance();
      }
      if (json == null) {
        json = MissingNode.getInstance();
      }
    }
    return json;
  }

  /** Whether Vault's {@code errors} array mentions {@code phrase}, ignoring case. */
  boolean errorMentions(String phrase) {
    for (JsonNode e : json().path("errors")) {
      if (e.asText("").toLowerCase(java.util.Locale.ROOT).contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  void wipe() {
    Arrays.fill(body, (byte) 0);
    json = MissingNode.getInstance();
  }

  @Override
  public String toString() {
    return "Reply[" + status + ", " + body.length + " bytes]";
  }
}
