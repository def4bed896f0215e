package io.secretfetch.api.mask.internal;

import java.util.Objects;

/**
 * One text the matcher looks for: a secret itself or one of its derived encodings.
 *
 * <p>Never printed: {@link #toString()} shows the length and kind only, because the text is secret.
 *
 * @param text the characters to find
 * @param base64 whether a hit widens to the whole surrounding base64 run
 */
public record Form(String text, boolean base64) {

  public Form {
    Objects.requireNonNull(text, "text must not be null");
  }

  @Override
  public String toString() {
    return "Form[length=" + text.length() + (base64 ? ", base64" : "") + "]";
  }
}
