package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.net.URLEncoder;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each encoding a program might give a secret before it reaches a log is masked. */
class DerivedFormsTest {

  private static final String SECRET = "p@ss w/rd+\"<&>'é$`\\";
  private final SecretMasker masker = new SecretMasker();

  DerivedFormsTest() {
    masker.register(SECRET);
  }

  @Nested
  class Base64Forms {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "ab", "abc", "user:", "Authorization header for bob:"})
    void masksTheWholeRunAtEveryAlignmentInBothAlphabetsWithAndWithoutPadding(String prefix) {
      for (String suffix : new String[] {"", "x", "xy", "xyz"}) {
        byte[] bytes = (prefix + SECRET + suffix).getBytes(UTF_8);
        for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(),
            Base64.getEncoder().withoutPadding(), Base64.getUrlEncoder(),
            Base64.getUrlEncoder().withoutPadding()}) {
          String encoded = encoder.encodeToString(bytes);
          assertThat(masker.mask("Basic " + encoded + " end"))
              .as("prefix %s suffix %s", prefix.length(), suffix.length())
              .isEqualTo("Basic *** end");
        }
      }
    }

    @Test
    void masksAnEncodedValueInsideALongerBlob() {
      masker.register("hunter2hunter2");
      String blob = Base64.getEncoder().encodeToString(
          "{\"user\":\"bob\",\"password\":\"hunter2hunter2\",\"n\":1}".getBytes(UTF_8));
      assertThat(masker.mask("token=" + blob + "&next=1")).isEqualTo("token=***&next=1");
    }

    @Test
    void doesNotWidenOverTextThatIsNotBase64() {
      masker.register("hunter2hunter2");
      String encoded = Base64.getEncoder().encodeToString("hunter2hunter2".getBytes(UTF_8));
      assertThat(masker.mask("a=" + encoded + "; b=2")).isEqualTo("a=***; b=2");
    }
  }

  @Nested
  class PercentEncoding {

    @Test
    void masksUpperAndLowerCaseHexAndPlusForSpace() {
      String upper = URLEncoder.encode(SECRET, UTF_8);
      assertThat(upper).contains("+").contains("%40");
      assertThat(masker.mask("q=" + upper + "&x")).isEqualTo("q=***&x");
      assertThat(masker.mask("q=" + lowerHex(upper) + "&x")).isEqualTo("q=***&x");
      String rfc3986 = upper.replace("+", "%20");
      assertThat(masker.mask("/path/" + rfc3986 + "/x")).isEqualTo("/path/***/x");
      assertThat(masker.mask("/path/" + lowerHex(rfc3986) + "/x")).isEqualTo("/path/***/x");
    }

    private String lowerHex(String encoded) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < encoded.length(); i++) {
        char c = encoded.charAt(i);
        boolean hexDigit = i >= 1 && (encoded.charAt(i - 1) == '%'
            || (i >= 2 && encoded.charAt(i - 2) == '%'));
        out.append(hexDigit ? Character.toLowerCase(c) : c);
      }
      return out.toString();
    }
  }

  @Nested
  class JsonEscapes {

    @Test
    void masksJacksonOutputInDefaultAndAsciiOnlyStyles() throws Exception {
      ObjectMapper plain = new ObjectMapper();
      ObjectMapper ascii = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
      for (ObjectMapper mapper : new ObjectMapper[] {plain, ascii}) {
        String json = mapper.writeValueAsString(new Holder(SECRET));
        assertThat(json).doesNotContain(SECRET);
        assertThat(masker.mask(json)).isEqualTo("{\"value\":\"***\"}");
      }
    }

    @Test
    void masksEscapedSlashesUnicodeEscapesAndControlCharacters() {
      masker.register("line1\nline2/tab\there");
      assertThat(masker.mask("\"line1\\nline2\\/tab\\there\"")).isEqualTo("\"***\"");
      // Gson's HTML-safe style, and "\/" for '/'.
      assertThat(masker.mask("\"p@ss w/rd+\\\"\\u003c\\u0026\\u003e\\u0027é$`\\\\\""))
          .isEqualTo("\"***\"");
      assertThat(masker.mask("\"p@ss w\\/rd+\\\"<&>'é$`\\\\\"")).isEqualTo("\"***\"");
      assertThat(masker.mask("\"p@ss w/rd+\\\"<&>'\\u00E9$`\\\\\"")).isEqualTo("\"***\"");
    }

    @Test
    void masksJsonEscapedTwice() throws Exception {
      ObjectMapper mapper = new ObjectMapper();
      String inner = mapper.writeValueAsString(new Holder(SECRET));
      String outer = mapper.writeValueAsString(new Holder(inner));
      assertThat(masker.mask(outer)).doesNotContain("ss w/rd").contains("***");
    }

    record Holder(String value) {}
  }

  @Nested
  class XmlEntities {

    @Test
    void masksNamedEntities() {
      assertThat(masker.mask("<v>p@ss w/rd+&quot;&lt;&amp;&gt;&apos;é$`\\</v>"))
          .isEqualTo("<v>***</v>");
      assertThat(masker.mask("<v>p@ss w/rd+\"&lt;&amp;&gt;'é$`\\</v>")).isEqualTo("<v>***</v>");
      assertThat(masker.mask("<v a=\"p@ss w/rd+&quot;&lt;&amp;&gt;'é$`\\\"/>"))
          .isEqualTo("<v a=\"***\"/>");
    }

    @Test
    void masksDecimalAndHexCharacterReferences() {
      assertThat(masker.mask("<v>p@ss w/rd+&#34;&#60;&#38;&#62;&#39;&#233;$`\\</v>"))
          .isEqualTo("<v>***</v>");
      assertThat(masker.mask("<v>p@ss w/rd+&#x22;&#x3C;&#x26;&#x3E;&#x27;&#xE9;$`\\</v>"))
          .isEqualTo("<v>***</v>");
      assertThat(masker.mask("<v>p@ss w/rd+&#x22;&#x3c;&#x26;&#x3e;&#x27;&#xe9;$`\\</v>"))
          .isEqualTo("<v>***</v>");
    }
  }

  /** Escaped and literal characters mixed, as templates and attackers write them. */
  @Nested
  class MixedEscapes {

    private final SecretMasker m = new SecretMasker();

    MixedEscapes() {
      m.register("admin-p&ss");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&#97;dmin&#x2D;p&amp;ss",
        "&#0097;dmin-p&#38;ss",
        "&#X61;dmin&#x002d;p&#X26;ss",
        "&#x61;&#100;&#x6D;&#105;&#x6e;-p&amp;ss",
        "a&#100;min-p&#38ss",
        "admin&#45;p&amp;ss",
        "%61dmin-p%26ss",
        "%61dmin%2Dp&amp;ss",
        "\\u0061dmin-p\\u0026ss",
        "&#97;dmin-p%26ss"})
    void masksEveryMixtureOfReferencesAndLiterals(String encoded) {
      assertThat(m.mask("<v>" + encoded + "</v> tail")).isEqualTo("<v>***</v> tail");
      assertThat(m.containsSecret(encoded)).isTrue();
    }

    @Test
    void masksTheWholeEscapedSpanAndNothingAround() {
      assertThat(m.mask("x=&#97;dmin-p&amp;ss&amp;y=2")).isEqualTo("x=***&amp;y=2");
      assertThat(m.mask("&lt;&#97;dmin-p&amp;ss&gt;")).isEqualTo("&lt;***&gt;");
    }

    @Test
    void masksMixturesOfNonAsciiAndSupplementaryCharacters() {
      SecretMasker unicode = new SecretMasker();
      unicode.register("pässwörd😀");
      assertThat(unicode.mask("p&#228;ssw&#xF6;rd&#128512;")).isEqualTo("***");
      assertThat(unicode.mask("p%C3%A4ssw%c3%b6rd%F0%9F%98%80")).isEqualTo("***");
      assertThat(unicode.mask("p\\u00e4ssw\\u00F6rd\\ud83d\\ude00")).isEqualTo("***");
    }

    @Test
    void leavesTextWhoseEscapesDoNotSpellASecretAsTheSameInstance() {
      String plain = "a & b, 50% off, C:\\dir, &unknown; &#xZZ; %G1";
      String decodable = "&#97;dmin-p&amp;sS and %61dmin-pass";
      assertThat(m.mask(plain)).isSameAs(plain);
      assertThat(m.mask(decodable)).isSameAs(decodable);
      assertThat(m.containsSecret(decodable)).isFalse();
    }

    @Test
    void decodesOneLevelOnly() {
      String twice = "&amp;#97;dmin-p&amp;amp;ss";
      assertThat(m.mask(twice)).isEqualTo(twice);
    }
  }

  @Nested
  class ShellQuoting {

    @Test
    void masksSingleQuotedForms() {
      SecretMasker m = new SecretMasker();
      m.register("it's-a-secret");
      assertThat(m.mask("curl -u 'it'\\''s-a-secret'")).isEqualTo("curl -u '***'");
      assertThat(m.mask("curl -u 'it'\"'\"'s-a-secret'")).isEqualTo("curl -u '***'");
    }

    @Test
    void masksDoubleQuotedFormsWithBackslashEscapes() {
      assertThat(masker.mask("export X=\"p@ss w/rd+\\\"<&>'é\\$\\`\\\\\""))
          .isEqualTo("export X=\"***\"");
    }
  }
}
