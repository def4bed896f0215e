package io.secretfetch.api.mask.internal;

import java.util.Base64;
import java.util.function.Consumer;

/**
 * The base64 characters that a secret determines on its own, wherever it sits in an encoded blob.
 *
 * <p>Base64 turns 3 bytes into 4 characters of 6 bits each. A secret that starts at byte offset 0, 1
 * or 2 of a 3-byte group is encoded differently, and the first and last characters it touches also
 * carry bits of its neighbours. For each of the three alignments this class yields the <em>core</em>:
 * the run of characters made only of the secret's bits. The core is the same with or without padding
 * and whether or not anything precedes or follows the secret, so one core per alignment and alphabet
 * finds every encoding; the masker then widens a hit to the whole base64 run, which also swallows the
 * boundary characters that carry a few of the secret's bits.
 */
public final class Base64Cores {

  private static final Base64.Encoder STANDARD = Base64.getEncoder().withoutPadding();
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

  private Base64Cores() {}

  /** Passes the cores of {@code bytes} (3 alignments x standard and URL-safe alphabets) to sink. */
  public static void forEachCore(byte[] bytes, Consumer<String> sink) {
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + bytes.length];
      System.arraycopy(bytes, 0, shifted, offset, bytes.length);
      int first = firstCoreChar(offset);
      int end = endOfCore(offset, bytes.length);
      if (end <= first) {
        continue;
      }
      sink.accept(STANDARD.encodeToString(shifted).substring(first, end));
      sink.accept(URL_SAFE.encodeToString(shifted).substring(first, end));
    }
  }

  /** The first character whose 6 bits all come from the secret (bit offset 8 * offset). */
  static int firstCoreChar(int offset) {
    return (8 * offset + 5) / 6;
  }

  /** One past the last character whose 6 bits all come from the secret. */
  static int endOfCore(int offset, int length) {
    return (8 * (offset + length)) / 6;
  }

  /** Whether {@code c} belongs to a base64 run: either alphabet. Padding is handled separately. */
  public static boolean isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '-'
        || c == '_';
  }
}
