package io.secretfetch.camunda.internal;

import io.secretfetch.api.mask.SecretMasker;

/**
 * Finds the secrets this engine's resolver handed out in what the engine is about to store: text
 * (every form the masker knows, mixed escapes included) and bytes (UTF-8, modified UTF-8,
 * ISO-8859-1, UTF-16 in both byte orders). Values of at least the masker's free-text minimum are
 * found anywhere; shorter ones ({@code admin}, {@code 1234}) only where they stand whole, so the word
 * inside a longer text does not break a flow. It never says which secret it found, only whether.
 */
public final class SecretDetector {
  private final SecretMasker masker;

  public SecretDetector(SecretMasker masker) {
    this.masker = masker;
  }

  /** Whether nothing has been registered yet: every check would answer false. */
  public boolean idle() {
    return masker.registeredCount() == 0 && masker.wholeOnlyCount() == 0;
  }

  /** Whether {@code text} holds a secret anywhere, or is a short one as a whole. */
  public boolean inText(String text) {
    return text != null && !text.isEmpty()
        && (masker.containsSecret(text) || masker.isWholeSecret(text));
  }

  /** Whether {@code bytes} hold a secret anywhere, in any encoding the masker reads bytes in. */
  public boolean inBytes(byte[] bytes) {
    return bytes != null && bytes.length > 0 && masker.containsSecret(bytes);
  }

  /**
   * {@code text} with every secret replaced by the mask token; a text that is a short secret as a
   * whole becomes the token.
   */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    return masker.isWholeSecret(text) ? masker.token() : masker.mask(text);
  }
}
