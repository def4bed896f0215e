package io.secretfetch.platform.store;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.security.SecureRandom;

/**
 * How the store generates a random value: a length and an alphabet. Characters are drawn
 * uniformly and independently from {@link SecureRandom}. A specification must give at least
 * {@value #MIN_ENTROPY_BITS} bits of entropy.
 */
public final class GeneratedValue {
  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 4096;
  public static final int MIN_ENTROPY_BITS = 64;

  /** Ready-made alphabets. */
  public enum Alphabet {
    ALPHANUMERIC("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    HEX("0123456789abcdef"),
    /** The URL- and filename-safe base64 alphabet. */
    BASE64URL("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
    /** Printable ASCII without space: letters, digits and punctuation. */
    PRINTABLE(printableAscii());

    private final String chars;

    Alphabet(String chars) {
      this.chars = chars;
    }

    public String chars() {
      return chars;
    }

    private static String printableAscii() {
      StringBuilder sb = new StringBuilder();
      for (char c = '!'; c <= '~'; c++) {
        sb.append(c);
      }
      return sb.toString();
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int length;
  private final String alphabet;

  private GeneratedValue(int length, String alphabet) {
    this.length = length;
    this.alphabet = alphabet;
  }

  public static GeneratedValue of(int length, Alphabet alphabet) {
    return custom(length, alphabet.chars());
  }

  /** Alphanumeric characters, {@code length} of them. */
  public static GeneratedValue alphanumeric(int length) {
    return of(length, Alphabet.ALPHANUMERIC);
  }

  /**
   * A custom alphabet: distinct characters from the Basic Multilingual Plane, no control
   * characters.
   *
   * @throws SecretException {@code INVALID_INPUT} naming the limit that is broken
   */
  public static GeneratedValue custom(int length, String alphabet) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid(
          "generated value length is " + length + "; it must be " + MIN_LENGTH + " to "
              + MAX_LENGTH,
          "Ask for a length between " + MIN_LENGTH + " and " + MAX_LENGTH);
    }
    if (alphabet == null || alphabet.length() < 2) {
      throw invalid(
          "generated value alphabet has fewer than 2 characters",
          "Give at least 2 distinct characters, or use a ready-made alphabet");
    }
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        throw invalid(
            "generated value alphabet has a control or surrogate character at index " + i,
            "Use printable characters only");
      }
      if (alphabet.indexOf(c) != i) {
        throw invalid(
            "generated value alphabet repeats the character at index " + i,
            "List each character once; repeats bias the draw");
      }
    }
    double bits = length * (Math.log(alphabet.length()) / Math.log(2));
    if (bits < MIN_ENTROPY_BITS) {
      int needed = (int) Math.ceil(MIN_ENTROPY_BITS / (Math.log(alphabet.length()) / Math.log(2)));
      throw invalid(
          "generated value of " + length + " characters from " + alphabet.length()
              + " has about " + (int) bits + " bits of entropy; at least " + MIN_ENTROPY_BITS
              + " are required",
          "Ask for at least " + needed + " characters, or a larger alphabet");
    }
    return new GeneratedValue(length, alphabet);
  }

  public int length() {
    return length;
  }

  public int alphabetSize() {
    return alphabet.length();
  }

  /** Draws a new value. The caller owns the array and should wipe it when done. */
  char[] generate() {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
    return out;
  }

  private static SecretException invalid(String detail, String remedy) {
    return new SecretException(SecretError.INVALID_INPUT, null, detail, remedy);
  }

  @Override
  public String toString() {
    return "GeneratedValue[length=" + length + ", alphabetSize=" + alphabet.length() + "]";
  }
}
