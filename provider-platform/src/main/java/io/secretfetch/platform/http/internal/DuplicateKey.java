package io.secretfetch.platform.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;

/**
 * A key given twice in one JSON object, as the strict parser ({@code
 * STRICT_DUPLICATE_DETECTION}) reports it: other readers would silently keep the last one, so a
 * request is read the same way by every hop or refused.
 *
 * @param key the key, cut to 100 characters and reduced to printable ones
 * @param pointer the JSON pointer of the second occurrence, e.g. {@code /refs/0/name}
 */
public record DuplicateKey(String key, String pointer) {

  public static Optional<DuplicateKey> of(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser p) || p.getParsingContext() == null) {
      return Optional.empty();
    }
    String key = p.getParsingContext().getCurrentName();
    // Jackson has no exception type of its own for this; its message is exactly this text.
    if (key == null || !("Duplicate field '" + key + "'").equals(e.getOriginalMessage())) {
      return Optional.empty();
    }
    return Optional.of(new DuplicateKey(printable(key),
        printable(p.getParsingContext().pathAsPointer().toString())));
  }

  /** The pointer as the API's {@code field} names places: {@code refs[0].name}. */
  public String field() {
    StringBuilder b = new StringBuilder();
    for (String segment : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/", -1)) {
      if (segment.matches("\\d+")) {
        b.append('[').append(segment).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
      }
    }
    return b.toString();
  }

  private static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
