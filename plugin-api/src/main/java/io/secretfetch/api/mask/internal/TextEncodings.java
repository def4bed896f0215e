package io.secretfetch.api.mask.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The escaped forms a secret takes when a program embeds it in a URL, JSON, XML or a shell command.
 *
 * <p>Each method passes every common variant to the sink (duplicates are fine; the caller dedupes).
 * Variants cover what mainstream encoders emit: upper- and lower-case hex, {@code +} for space, Jackson
 * and Gson JSON styles, named and numeric XML entities, POSIX single and double quoting.
 */
public final class TextEncodings {

  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

  private TextEncodings() {}

  // ---- percent-encoding (RFC 3986 and application/x-www-form-urlencoded) ----

  public static void percentForms(String s, Consumer<String> sink) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    for (char[] hex : new char[][] {UPPER_HEX, LOWER_HEX}) {
      sink.accept(percent(utf8, hex, false));
      sink.accept(percent(utf8, hex, true));
    }
  }

  private static String percent(byte[] utf8, char[] hex, boolean form) {
    StringBuilder out = new StringBuilder(utf8.length * 3);
    for (byte b : utf8) {
      int c = b & 0xff;
      if (form && c == ' ') {
        out.append('+');
      } else if (isUnreserved(c, form)) {
        out.append((char) c);
      } else {
        out.append('%').append(hex[c >>> 4]).append(hex[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** RFC 3986 unreserved characters; the form encoder (java.net.URLEncoder) keeps '*' and escapes '~'. */
  private static boolean isUnreserved(int c, boolean form) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return c == '-' || c == '.' || c == '_' || (form ? c == '*' : c == '~');
  }

  // ---- JSON string escapes ----

  public static void jsonForms(String s, Consumer<String> sink) {
    // Jackson default, with "\/", with non-ASCII escaped (upper and lower hex), Gson's HTML-safe style.
    sink.accept(json(s, false, false, false, UPPER_HEX));
    sink.accept(json(s, true, false, false, UPPER_HEX));
    sink.accept(json(s, false, true, false, UPPER_HEX));
    sink.accept(json(s, false, true, false, LOWER_HEX));
    sink.accept(json(s, false, false, true, LOWER_HEX));
    sink.accept(json(s, false, true, true, LOWER_HEX));
    // A JSON document carried inside another JSON string (escaped twice).
    String once = json(s, false, false, false, UPPER_HEX);
    sink.accept(json(once, false, false, false, UPPER_HEX));
  }

  private static String json(
      String s, boolean escapeSlash, boolean escapeNonAscii, boolean htmlSafe, char[] hex) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '/' -> out.append(escapeSlash ? "\\/" : "/");
        default -> {
          boolean html = htmlSafe && (c == '<' || c == '>' || c == '&' || c == '=' || c == '\'');
          if (c < 0x20 || html || (escapeNonAscii && c > 0x7e)) {
            out.append("\\u")
                .append(hex[(c >>> 12) & 0xf])
                .append(hex[(c >>> 8) & 0xf])
                .append(hex[(c >>> 4) & 0xf])
                .append(hex[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  // ---- XML entities ----

  public static void xmlForms(String s, Consumer<String> sink) {
    sink.accept(xmlNamed(s, true, true));
    sink.accept(xmlNamed(s, true, false));
    sink.accept(xmlNamed(s, false, false));
    sink.accept(xmlNumeric(s, 10, UPPER_HEX));
    sink.accept(xmlNumeric(s, 16, UPPER_HEX));
    sink.accept(xmlNumeric(s, 16, LOWER_HEX));
  }

  /** Named entities for & < > and, in attribute style, " (and ' when both quotes are escaped). */
  private static String xmlNamed(String s, boolean quot, boolean apos) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(quot ? "&quot;" : "\"");
        case '\'' -> out.append(apos ? "&apos;" : "'");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Character references for markup characters, line breaks, tabs and everything beyond ASCII. */
  private static String xmlNumeric(String s, int radix, char[] hex) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean escape = cp == '&' || cp == '<' || cp == '>' || cp == '"' || cp == '\''
          || cp == '\n' || cp == '\r' || cp == '\t' || cp > 0x7e;
      if (!escape) {
        out.append((char) cp);
      } else if (radix == 10) {
        out.append("&#").append(cp).append(';');
      } else {
        out.append("&#x");
        appendHex(out, cp, hex);
        out.append(';');
      }
    }
    return out.toString();
  }

  private static void appendHex(StringBuilder out, int value, char[] hex) {
    int shift = 28;
    while (shift > 0 && ((value >>> shift) & 0xf) == 0) {
      shift -= 4;
    }
    for (; shift >= 0; shift -= 4) {
      out.append(hex[(value >>> shift) & 0xf]);
    }
  }

  // ---- POSIX shell quoting ----

  public static void shellForms(String s, Consumer<String> sink) {
    sink.accept(s.replace("'", "'\\''"));
    sink.accept(s.replace("'", "'\"'\"'"));
    StringBuilder doubleQuoted = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"' || c == '$' || c == '`') {
        doubleQuoted.append('\\');
      }
      doubleQuoted.append(c);
    }
    sink.accept(doubleQuoted.toString());
  }
}
