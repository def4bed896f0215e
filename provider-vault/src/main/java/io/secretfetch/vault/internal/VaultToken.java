package io.secretfetch.vault.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Vault token (or any credential of that kind) held as characters. {@link #toString()} prints the
 * class name only; there is no {@code equals} or {@code hashCode}, so tokens cannot end up compared
 * or used as map keys by accident. Modelled on Spring Vault's {@code VaultToken}.
 *
 * <p>The driver takes tokens as {@link String}s, so {@link #reveal()} has to produce one; it is the
 * one verb that does, and it is called only where a driver call needs the token.
 */
public final class VaultToken {
  private final char[] chars;

  private VaultToken(char[] chars) {
    this.chars = chars;
  }

  /** Copies {@code token}; the caller may wipe its own copy. */
  public static VaultToken of(CharSequence token) {
    Objects.requireNonNull(token, "Token must not be null");
    if (token.length() == 0 || token.toString().isBlank()) {
      throw new IllegalArgumentException("Token must not be empty");
    }
    char[] copy = new char[token.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = token.charAt(i);
    }
    return new VaultToken(copy);
  }

  /** A copy of the characters; wipe it after use. */
  public char[] toCharArray() {
    return chars.clone();
  }

  /** The token as the driver wants it. Search the code base for this verb to find every use. */
  String reveal() {
    return new String(chars);
  }

  /** Overwrites the characters; the token is unusable afterwards. */
  void destroy() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "VaultToken";
  }
}
