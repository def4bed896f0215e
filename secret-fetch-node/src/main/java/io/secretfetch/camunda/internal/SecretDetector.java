package io.secretfetch.camunda.internal;

import io.secretfetch.api.mask.SecretMasker;
import java.nio.charset.StandardCharsets;

/**
 * Finds the secrets this engine's resolver handed out in what the engine is about to store: text
 * (every form the masker knows) and bytes (read in each encoding the engine or a serializer may
 * have used). The guards use it; it never says which secret it found, only whether.
 */
public final class SecretDetector {
  private final SecretMasker masker;

  public SecretDetector(SecretMasker masker) {
    this.masker = masker;
  }

  /** Whether nothing has been registered yet: every check would answer false. */
  public boolean idle() {
    return masker.registeredCount() == 0;
  }

  /** Whether {@code text} holds a secret anywhere. */
  public boolean inText(String text) {
    return text != null && !text.isEmpty() && masker.mask(text) != text;
  }

  /** Whether {@code bytes}, decoded as UTF-8 or ISO-8859-1, hold a secret anywhere. */
  public boolean inBytes(byte[] bytes) {
    return bytes != null && bytes.length > 0
        && (inText(new String(bytes, StandardCharsets.UTF_8))
            || inText(new String(bytes, StandardCharsets.ISO_8859_1)));
  }

  /** {@code text} with every secret replaced by the mask token. */
  public String mask(String text) {
    return text == null ? null : masker.mask(text);
  }
}
