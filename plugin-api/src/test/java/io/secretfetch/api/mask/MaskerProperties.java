package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * For random text with random registered secrets and their encoded forms inserted, the masked text
 * contains none of them, whether masked at once or streamed in random pieces.
 */
class MaskerProperties {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALPHABET = "abcdeXYZ0189+/=_-%&;<>\"'\\ \n\téü€😀*";

  @Property(tries = 400)
  void maskedTextContainsNoSecretAndNoDerivedForm(
      @ForAll("secrets") @Size(min = 1, max = 6) List<String> secrets,
      @ForAll("noise") @Size(min = 1, max = 8) List<String> noise,
      @ForAll long seed) throws IOException {
    SecretMasker masker = new SecretMasker();
    secrets.forEach(masker::register);
    Random random = new Random(seed);
    List<String> inserted = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String piece : noise) {
      text.append(piece);
      String secret = secrets.get(random.nextInt(secrets.size()));
      List<String> forms = formsOf(secret, random);
      String form = forms.get(random.nextInt(forms.size()));
      inserted.add(form);
      text.append(form);
    }
    text.append(noise.get(0));

    String masked = masker.mask(text);
    String streamed = stream(masker, text.toString(), random);

    for (String secret : secrets) {
      assertThat(masked).doesNotContain(secret);
    }
    for (String form : inserted) {
      assertThat(masked).doesNotContain(form);
    }
    assertThat(masker.mask(masked)).isEqualTo(masked);
    // Streams do not repeat masking over their own tokens (see MaskingWriter), so a value that
    // contains token characters can re-form from a token and plain text next to it.
    String token = masker.token();
    for (String secret : secrets) {
      if (secret.chars().noneMatch(c -> token.indexOf(c) >= 0)) {
        assertThat(streamed).doesNotContain(secret);
      }
    }
    for (String form : inserted) {
      if (form.chars().noneMatch(c -> token.indexOf(c) >= 0)) {
        assertThat(streamed).doesNotContain(form);
      }
    }
  }

  /**
   * Each character of a secret written literally or as any escape a template engine or an attacker
   * might pick (numeric references with random leading zeros and case, named references, percent
   * escapes of its UTF-8 bytes, JSON escapes), mixed at random: the mixture is masked, and so is the
   * secret. Escape characters are never left literal, as an escaping writer would not leave them.
   */
  @Property(tries = 400)
  void everyMixtureOfEscapesIsMasked(
      @ForAll("secrets") @Size(min = 1, max = 3) List<String> secrets,
      @ForAll("noise") @Size(min = 1, max = 4) List<String> noise,
      @ForAll long seed) {
    SecretMasker masker = new SecretMasker();
    secrets.forEach(masker::register);
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    List<String> mixtures = new ArrayList<>();
    for (String piece : noise) {
      String mixture = mix(secrets.get(random.nextInt(secrets.size())), random);
      mixtures.add(mixture);
      // A space apart: an escape prefix in the noise right before the value would swallow its head.
      text.append(piece).append(' ').append(mixture).append(' ');
    }
    String masked = masker.mask(text);
    for (String mixture : mixtures) {
      assertThat(masked).doesNotContain(mixture);
    }
    for (String secret : secrets) {
      assertThat(masked).doesNotContain(secret);
    }
    assertThat(masker.mask(masked)).isEqualTo(masked);
  }

  /** A value planted in random bytes in any of the text encodings a column may hold is found. */
  @Property(tries = 300)
  void aValuePlantedInBytesIsFoundInEveryEncoding(
      @ForAll("secrets") @Size(min = 1, max = 3) List<String> secrets, @ForAll long seed) {
    SecretMasker masker = SecretMasker.builder()
        .checkMinimumLength(SecretMasker.DEFAULT_MINIMUM_LENGTH).build();
    secrets.forEach(masker::register);
    Random random = new Random(seed);
    String secret = secrets.get(random.nextInt(secrets.size()));
    java.nio.charset.Charset[] charsets = {UTF_8, java.nio.charset.StandardCharsets.UTF_16BE,
        java.nio.charset.StandardCharsets.UTF_16LE};
    byte[] planted = secret.getBytes(charsets[random.nextInt(charsets.length)]);
    byte[] bytes = new byte[planted.length + random.nextInt(9) + random.nextInt(9)];
    random.nextBytes(bytes);
    int at = random.nextInt(bytes.length - planted.length + 1);
    System.arraycopy(planted, 0, bytes, at, planted.length);
    // A lone surrogate half has no encoding: getBytes replaced it, so there is no value to find.
    if (secret.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff)) {
      assertThat(masker.containsSecret(bytes)).isTrue();
    }
  }

  private static String mix(String secret, Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < secret.length(); ) {
      int cp = secret.codePointAt(i);
      i += Character.charCount(cp);
      boolean escapeChar = cp == '&' || cp == '%' || cp == '\\';
      int choice = random.nextInt(escapeChar ? 5 : 6);
      if (choice == 2 && Character.isSurrogate((char) cp)) {
        choice = 0; // a lone surrogate half has no UTF-8 bytes to percent-encode
      }
      switch (choice) {
        case 0 -> out.append("&#").append("0".repeat(random.nextInt(3))).append(cp).append(';');
        case 1 -> out.append(random.nextBoolean() ? "&#x" : "&#X")
            .append("0".repeat(random.nextInt(3)))
            .append(random.nextBoolean() ? Integer.toHexString(cp)
                : Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT))
            .append(';');
        case 2 -> {
          for (byte b : new String(Character.toChars(cp)).getBytes(UTF_8)) {
            String hex = String.format(random.nextBoolean() ? "%%%02X" : "%%%02x", b & 0xff);
            out.append(hex);
          }
        }
        case 3 -> {
          for (char c : Character.toChars(cp)) {
            out.append(String.format(random.nextBoolean() ? "\\u%04X" : "\\u%04x", (int) c));
          }
        }
        case 4 -> out.append(switch (cp) {
          case '&' -> "&amp;";
          case '<' -> "&lt;";
          case '>' -> "&gt;";
          case '"' -> "&quot;";
          case '\'' -> "&apos;";
          default -> "&#" + cp + ";";
        });
        default -> out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  @Provide
  Arbitrary<List<String>> secrets() {
    return Arbitraries.strings().withChars(ALPHABET).ofMinLength(4).ofMaxLength(24).list();
  }

  @Provide
  Arbitrary<List<String>> noise() {
    return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(30).list();
  }

  /** The secret as programs would encode it, computed with the JDK and Jackson, not the masker. */
  private static List<String> formsOf(String secret, Random random) throws JsonProcessingException {
    List<String> forms = new ArrayList<>();
    forms.add(secret);
    byte[] prefix = new byte[random.nextInt(4)];
    random.nextBytes(prefix);
    byte[] value = secret.getBytes(UTF_8);
    byte[] bytes = new byte[prefix.length + value.length];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    System.arraycopy(value, 0, bytes, prefix.length, value.length);
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(value));
    forms.add(URLEncoder.encode(secret, UTF_8));
    String json = JSON.writeValueAsString(secret);
    forms.add(json.substring(1, json.length() - 1));
    forms.add(secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&apos;"));
    forms.add(secret.replace("'", "'\\''"));
    return forms;
  }

  private static String stream(SecretMasker masker, String text, Random random) throws IOException {
    StringWriter out = new StringWriter();
    try (Writer writer = masker.maskingWriter(out)) {
      for (int i = 0; i < text.length(); ) {
        int n = Math.min(text.length() - i, 1 + random.nextInt(12));
        writer.write(text, i, n);
        i += n;
      }
    }
    return out.toString();
  }
}
