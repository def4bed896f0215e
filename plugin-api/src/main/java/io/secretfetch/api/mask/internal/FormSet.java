package io.secretfetch.api.mask.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The derived forms of a group of secrets as sorted, distinct texts with their "widens over base64"
 * flags: what one tier of the registry is built from. Kept with the tier, so that merging tiers is a
 * linear merge of two sorted arrays and never derives the forms of a secret again.
 */
final class FormSet {

  static final FormSet EMPTY = new FormSet(new String[0], new boolean[0], 0);

  final String[] texts;
  final boolean[] base64;
  final int secrets;
  /** The characters of all texts together. */
  final long totalChars;

  private FormSet(String[] texts, boolean[] base64, int secrets) {
    this.texts = texts;
    this.base64 = base64;
    this.secrets = secrets;
    long total = 0;
    for (String text : texts) {
      total += text.length();
    }
    this.totalChars = total;
  }

  /** The forms of {@code values} (forms shorter than {@code minLength} dropped). */
  static FormSet of(List<String> values, int minLength) {
    Map<String, Boolean> forms = new HashMap<>(Math.max(16, values.size() * 16));
    for (String value : values) {
      DerivedForms.addTo(forms, value, minLength);
    }
    String[] texts = forms.keySet().toArray(new String[0]);
    Arrays.sort(texts);
    boolean[] base64 = new boolean[texts.length];
    for (int i = 0; i < texts.length; i++) {
      base64[i] = forms.get(texts[i]);
    }
    return new FormSet(texts, base64, values.size());
  }

  /** The union of {@code a} and {@code b}; a text in both widens if it widens in either. */
  static FormSet merge(FormSet a, FormSet b) {
    String[] texts = new String[a.texts.length + b.texts.length];
    boolean[] base64 = new boolean[texts.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.texts.length || j < b.texts.length) {
      int order = i == a.texts.length ? 1 : j == b.texts.length ? -1
          : a.texts[i].compareTo(b.texts[j]);
      if (order <= 0) {
        texts[k] = a.texts[i];
        base64[k] = a.base64[i++];
        if (order == 0) {
          base64[k] |= b.base64[j++];
        }
      } else {
        texts[k] = b.texts[j];
        base64[k] = b.base64[j++];
      }
      k++;
    }
    return new FormSet(Arrays.copyOf(texts, k), Arrays.copyOf(base64, k), a.secrets + b.secrets);
  }

  Automaton build(int window) {
    return AutomatonBuilder.build(texts, base64, window);
  }
}
