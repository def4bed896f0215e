package io.secretfetch.api.mask.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The decoding view's spans tile the original text, and escapes decode to what they name. */
class DecodedTextProperties {

  private static final String ALPHABET = "&#;xX%\\u0123456789aAbBcCdDeEfFlgtmpqosn 😀é";

  @Property(tries = 2000)
  void spansTileTheOriginalText(@ForAll("escapeHeavy") String text) {
    DecodedText decoded = DecodedText.of(text);
    if (decoded == null) {
      return;
    }
    String view = decoded.text();
    assertThat(view.length()).isLessThanOrEqualTo(text.length());
    int end = 0;
    for (int i = 0; i < view.length(); i++) {
      int start = decoded.sourceStart(i);
      int stop = decoded.sourceEnd(i + 1);
      assertThat(stop).isGreaterThan(start).isLessThanOrEqualTo(text.length());
      if (start != end) {
        // Only the second half of a surrogate pair decoded from one escape shares its span.
        assertThat(i).isPositive();
        assertThat(decoded.sourceStart(i - 1)).isEqualTo(start);
        assertThat(decoded.sourceEnd(i)).isEqualTo(stop);
      }
      if (stop - start == 1) {
        assertThat(view.charAt(i)).isEqualTo(text.charAt(start));
      }
      end = stop;
    }
    assertThat(decoded.sourceStart(0)).isZero();
    assertThat(end).isEqualTo(text.length());
  }

  @Property(tries = 500)
  void referencesDecodeToTheCharacterTheyName(@ForAll("anyCodePoint") int codePoint,
      @ForAll("zeros") String zeros) {
    String expected = new String(Character.toChars(codePoint));
    for (String reference : new String[] {
        "&#" + zeros + codePoint + ";",
        "&#x" + zeros + Integer.toHexString(codePoint) + ";",
        "&#X" + zeros + Integer.toHexString(codePoint).toUpperCase() + ";"}) {
      DecodedText decoded = DecodedText.of(reference + "|");
      assertThat(decoded).isNotNull();
      assertThat(decoded.text()).isEqualTo(expected + "|");
      assertThat(decoded.sourceEnd(expected.length())).isEqualTo(reference.length());
    }
  }

  @Provide
  Arbitrary<String> escapeHeavy() {
    return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(40);
  }

  @Provide
  Arbitrary<Integer> anyCodePoint() {
    return Arbitraries.integers().between(1, 0x10ffff);
  }

  @Provide
  Arbitrary<String> zeros() {
    return Arbitraries.strings().withChars('0').ofMaxLength(4);
  }
}
