package io.secretfetch.api.mask.internal;

import java.util.Arrays;
import java.util.Map;

/**
 * A text with its escapes decoded, and for every decoded character the span of the original text it
 * came from: the "decoding view" the masker runs its automaton over a second time, so that a value
 * written partly escaped and partly literal ({@code &#97;dmin&#x2D;p&amp;ss}, {@code %61dmin},
 * <code>&#92;u0061dmin</code>) is found however the escapes are mixed, with one mechanism instead of one
 * derived form per mixture. A hit in the view maps back to the whole escaped span of the original.
 *
 * <p>Decoded, one level deep (an escape that decodes to another escape is not decoded again):
 *
 * <ul>
 *   <li>numeric character references {@code &#NNN;} and {@code &#xHHH;}: any number of leading
 *       zeros, {@code x} or {@code X}, hex digits in either case; the {@code ;} may be missing, as
 *       HTML parsers allow; a reference to a surrogate half decodes to that half, so a character
 *       escaped as two references (UTF-16 unit by unit) is found too;
 *   <li>named references: the XML five ({@code amp lt gt quot apos}; the first four also without
 *       {@code ;}, as HTML allows), {@code nbsp}, and the HTML5 names of ASCII punctuation
 *       ({@code &sol;}, {@code &equals;}, {@code &commat;}, ...), see {@link #NAMED};
 *   <li>percent-escapes {@code %HH} (either case), a run of them that forms one UTF-8 sequence
 *       decoding to one character; {@code +} is left as it is (the whole-value forms cover {@code +}
 *       for space);
 *   <li>JSON and Java escapes <code>&#92;uHHHH</code> (either case; a surrogate pair written as two
 *       escapes decodes to its two halves, which the matcher sees as the character).
 * </ul>
 *
 * <p>Building the view allocates only once an escape actually decodes (before that, at most a short
 * lookup key per {@code &name}); {@link #of} returns null when nothing decodes, so a text with a
 * stray {@code &} or {@code %} costs one scan.
 */
public final class DecodedText {

  /** HTML5 named references worth decoding: markup, the no-break space and ASCII punctuation. */
  static final Map<String, Character> NAMED = Map.ofEntries(
      Map.entry("amp", '&'), Map.entry("lt", '<'), Map.entry("gt", '>'),
      Map.entry("quot", '"'), Map.entry("apos", '\''), Map.entry("nbsp", '\u00a0'),
      Map.entry("excl", '!'), Map.entry("num", '#'), Map.entry("dollar", '$'),
      Map.entry("percnt", '%'), Map.entry("lpar", '('), Map.entry("rpar", ')'),
      Map.entry("ast", '*'), Map.entry("midast", '*'), Map.entry("plus", '+'),
      Map.entry("comma", ','), Map.entry("period", '.'), Map.entry("sol", '/'),
      Map.entry("colon", ':'), Map.entry("semi", ';'), Map.entry("equals", '='),
      Map.entry("quest", '?'), Map.entry("commat", '@'), Map.entry("lsqb", '['),
      Map.entry("lbrack", '['), Map.entry("bsol", '\\'), Map.entry("rsqb", ']'),
      Map.entry("rbrack", ']'), Map.entry("Hat", '^'), Map.entry("lowbar", '_'),
      Map.entry("UnderBar", '_'), Map.entry("grave", '`'), Map.entry("lcub", '{'),
      Map.entry("lbrace", '{'), Map.entry("verbar", '|'), Map.entry("vert", '|'),
      Map.entry("VerticalLine", '|'), Map.entry("rcub", '}'), Map.entry("rbrace", '}'),
      Map.entry("Tab", '\t'), Map.entry("NewLine", '\n'));
  private static final int LONGEST_NAME = 12;
  /** No escape ends here; also the "not an escape" result of the decoders below. */
  private static final long NONE = -1;

  private final String text;
  private final int[] sourceStart;
  private final int[] sourceEnd;

  private DecodedText(String text, int[] sourceStart, int[] sourceEnd) {
    this.text = text;
    this.sourceStart = sourceStart;
    this.sourceEnd = sourceEnd;
  }

  /** Whether {@code s} has a character that can start an escape; a quick test before {@link #of}. */
  public static boolean mayContainEscapes(String s) {
    return s.indexOf('&') >= 0 || s.indexOf('%') >= 0 || s.indexOf('\\') >= 0;
  }

  /** The decoded view of {@code s}, or null when no escape in it decodes. */
  public static DecodedText of(String s) {
    final int n = s.length();
    StringBuilder out = null;
    int[] starts = null;
    int[] ends = null;
    for (int i = 0; i < n; ) {
      char c = s.charAt(i);
      long decoded = c == '&' ? reference(s, i) : c == '%' ? percent(s, i)
          : c == '\\' ? unicodeEscape(s, i) : NONE;
      if (decoded == NONE) {
        if (out != null) {
          starts = room(starts, out.length() + 1);
          ends = room(ends, out.length() + 1);
          starts[out.length()] = i;
          ends[out.length()] = i + 1;
          out.append(c);
        }
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
        starts = new int[n + 2];
        ends = new int[n + 2];
        for (int j = 0; j < i; j++) {
          starts[j] = j;
          ends[j] = j + 1;
        }
        out.append(s, 0, i);
      }
      int end = (int) (decoded >>> 32);
      int cp = (int) decoded;
      int k = out.length();
      starts = room(starts, k + 2);
      ends = room(ends, k + 2);
      out.appendCodePoint(cp);
      for (; k < out.length(); k++) {
        starts[k] = i;
        ends[k] = end;
      }
      i = end;
    }
    return out == null ? null : new DecodedText(out.toString(), starts, ends);
  }

  /** The decoded characters. */
  public String text() {
    return text;
  }

  /** Where the original text of decoded {@code [start, end)} begins. */
  public int sourceStart(int start) {
    return sourceStart[start];
  }

  /** Where the original text of decoded {@code [start, end)} ends (exclusive); end > 0. */
  public int sourceEnd(int end) {
    return sourceEnd[end - 1];
  }

  private static int[] room(int[] array, int size) {
    return size <= array.length ? array : Arrays.copyOf(array, Math.max(size, array.length * 2));
  }

  private static long result(int end, int codePoint) {
    return ((long) end << 32) | codePoint;
  }

  /** {@code &...} at {@code i}: (end << 32 | code point), or NONE. */
  private static long reference(String s, int i) {
    final int n = s.length();
    if (i + 2 < n && s.charAt(i + 1) == '#') {
      boolean hex = s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X';
      int radix = hex ? 16 : 10;
      int j = hex ? i + 3 : i + 2;
      int digitsFrom = j;
      long value = 0;
      while (j < n && Character.digit(s.charAt(j), radix) >= 0 && isAscii(s.charAt(j))) {
        value = Math.min(value * radix + Character.digit(s.charAt(j), radix), 0x110000);
        j++;
      }
      // A surrogate half is decoded as it is: encoders that escape char by char write a
      // supplementary character as two references, which decode back to its pair.
      if (j == digitsFrom || !(isCodePoint(value) || (value >= 0xd800 && value <= 0xdfff))) {
        return NONE;
      }
      return result(j < n && s.charAt(j) == ';' ? j + 1 : j, (int) value);
    }
    int j = i + 1;
    while (j < n && j - i <= LONGEST_NAME && isAsciiLetterOrDigit(s.charAt(j))) {
      j++;
    }
    if (j == i + 1) {
      return NONE;
    }
    Character named = NAMED.get(s.substring(i + 1, j));
    if (named == null) {
      return NONE;
    }
    if (j < n && s.charAt(j) == ';') {
      return result(j + 1, named);
    }
    // HTML's legacy references without ';' (only the markup ones are common in practice).
    boolean legacy = named == '&' || named == '<' || named == '>' || named == '"';
    return legacy && j - i <= 5 ? result(j, named) : NONE;
  }

  /** {@code %HH...} at {@code i}: one ASCII byte, or a run of escapes forming one UTF-8 sequence. */
  private static long percent(String s, int i) {
    int first = hexByte(s, i);
    if (first < 0) {
      return NONE;
    }
    if (first < 0x80) {
      return result(i + 3, first);
    }
    int length = first >= 0xf0 && first <= 0xf4 ? 4 : first >= 0xe0 && first <= 0xef ? 3
        : first >= 0xc2 && first <= 0xdf ? 2 : 0;
    if (length == 0) {
      return NONE;
    }
    int cp = first & (0x7f >> length);
    for (int k = 1; k < length; k++) {
      int next = hexByte(s, i + 3 * k);
      if (next < 0 || (next & 0xc0) != 0x80) {
        return NONE;
      }
      cp = (cp << 6) | (next & 0x3f);
    }
    int least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    return cp < least || !isCodePoint(cp) ? NONE : result(i + 3 * length, cp);
  }

  /** <code>&#92;uHHHH</code> at {@code i} (a lone surrogate half is decoded as it is). */
  private static long unicodeEscape(String s, int i) {
    if (i + 6 > s.length() || s.charAt(i + 1) != 'u') {
      return NONE;
    }
    int value = 0;
    for (int j = i + 2; j < i + 6; j++) {
      int d = hexDigit(s.charAt(j));
      if (d < 0) {
        return NONE;
      }
      value = (value << 4) | d;
    }
    return result(i + 6, value);
  }

  private static int hexByte(String s, int i) {
    if (i + 3 > s.length() || s.charAt(i) != '%') {
      return -1;
    }
    int hi = hexDigit(s.charAt(i + 1));
    int lo = hexDigit(s.charAt(i + 2));
    return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
  }

  private static int hexDigit(char c) {
    return isAscii(c) ? Character.digit(c, 16) : -1;
  }

  private static boolean isAscii(char c) {
    return c < 0x80;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** A scalar value a reference may name: not NUL, not a surrogate, at most U+10FFFF. */
  private static boolean isCodePoint(long value) {
    return value > 0 && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
  }

  @Override
  public String toString() {
    return "DecodedText[length=" + text.length() + "]";
  }
}
