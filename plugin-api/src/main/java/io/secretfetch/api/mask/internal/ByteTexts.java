package io.secretfetch.api.mask.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The readings of a byte array in which a secret can hide as text: UTF-8 (lenient, so also Java's
 * modified UTF-8 and CESU-8, which a serialized {@code String} field holds), ISO-8859-1, and UTF-16
 * big- and little-endian at both byte alignments (a serialized {@code char[]} holds UTF-16BE at
 * whatever offset its stream put it). Bytes that do not decode become U+FFFD, so the text around
 * them is still read.
 */
public final class ByteTexts {

  private static final char REPLACEMENT = '\ufffd';

  private ByteTexts() {}

  /** Whether {@code test} holds for any reading of {@code bytes[offset, offset + length)}. */
  public static boolean anyReading(byte[] bytes, int offset, int length, Predicate<String> test) {
    if (length == 0) {
      return false;
    }
    if (test.test(lenientUtf8(bytes, offset, length))) {
      return true;
    }
    if (!isAscii(bytes, offset, length)
        && test.test(new String(bytes, offset, length, StandardCharsets.ISO_8859_1))) {
      return true;
    }
    for (int skip = 0; skip < 2 && skip < length; skip++) {
      int even = (length - skip) & ~1;
      if (even == 0) {
        break;
      }
      if (test.test(utf16(bytes, offset + skip, even, true))
          || test.test(utf16(bytes, offset + skip, even, false))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each pair of bytes as one UTF-16 unit, unvalidated. The JDK decoder replaces an unpaired
   * surrogate together with the unit after it, so garbage just before a value would eat its first
   * character.
   */
  static String utf16(byte[] bytes, int offset, int length, boolean bigEndian) {
    char[] out = new char[length / 2];
    for (int k = 0, i = offset; k < out.length; k++, i += 2) {
      int first = bytes[i] & 0xff;
      int second = bytes[i + 1] & 0xff;
      out[k] = (char) (bigEndian ? (first << 8) | second : (second << 8) | first);
    }
    return new String(out);
  }

  /** ISO-8859-1 reads pure ASCII exactly as UTF-8 does; skip the second, identical reading. */
  private static boolean isAscii(byte[] bytes, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * UTF-8 without rejecting what Java's modified UTF-8 writes: {@code C0 80} for NUL and each
   * surrogate of a supplementary character as its own three-byte sequence. Anything else that is
   * not a complete sequence becomes U+FFFD, one per byte.
   */
  static String lenientUtf8(byte[] bytes, int offset, int length) {
    char[] out = new char[length];
    int k = 0;
    int end = offset + length;
    for (int i = offset; i < end; ) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        out[k++] = (char) b;
        i++;
      } else if ((b >> 5) == 0x6 && continues(bytes, i + 1, end, 1)) {
        out[k++] = (char) (((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
        i += 2;
      } else if ((b >> 4) == 0xe && continues(bytes, i + 1, end, 2)) {
        out[k++] = (char) (((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6)
            | (bytes[i + 2] & 0x3f));
        i += 3;
      } else if ((b >> 3) == 0x1e && continues(bytes, i + 1, end, 3)) {
        int cp = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12)
            | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
        if (cp >= 0x10000 && cp <= 0x10ffff) {
          out[k++] = Character.highSurrogate(cp);
          out[k++] = Character.lowSurrogate(cp);
        } else {
          out[k++] = REPLACEMENT;
          out[k++] = REPLACEMENT;
        }
        i += 4;
      } else {
        out[k++] = REPLACEMENT;
        i++;
      }
    }
    return new String(out, 0, k);
  }

  private static boolean continues(byte[] bytes, int from, int end, int count) {
    if (from + count > end) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if ((bytes[i] & 0xc0) != 0x80) {
        return false;
      }
    }
    return true;
  }
}
