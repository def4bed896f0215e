package io.secretfetch.api.mask;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SanitizeAndRedactTest {

  private static final String SECRET = "s3cr3t-v4lue";
  private final SecretMasker masker = new SecretMasker();

  SanitizeAndRedactTest() {
    masker.register(SECRET);
  }

  @Nested
  class Sanitize {

    @Test
    void returnsTheSameThrowableWhenNothingNeedsMasking() {
      IllegalStateException clean = new IllegalStateException("fine", new RuntimeException("ok"));
      assertThat(masker.sanitize(clean)).isSameAs(clean);
      assertThat(masker.sanitize(null)).isNull();
    }

    @Test
    void masksMessagesCausesAndSuppressedAndKeepsClassNamesAndFrames() {
      SQLException root = new SQLException("login failed for password " + SECRET);
      IllegalStateException middle = new IllegalStateException("wrapped", root);
      RuntimeException top = new RuntimeException("call with " + SECRET, middle);
      top.addSuppressed(new IllegalArgumentException("suppressed " + SECRET));
      top.addSuppressed(new UnsupportedOperationException("clean one"));

      Throwable sanitized = masker.sanitize(top);

      assertThat(render(sanitized)).doesNotContain(SECRET);
      assertThat(sanitized).isInstanceOf(MaskedException.class).hasMessage("call with ***");
      assertThat(sanitized.toString()).isEqualTo("java.lang.RuntimeException: call with ***");
      assertThat(((MaskedException) sanitized).originalClassName())
          .isEqualTo("java.lang.RuntimeException");
      assertThat(sanitized.getStackTrace()).isEqualTo(top.getStackTrace());
      Throwable sanitizedMiddle = sanitized.getCause();
      assertThat(sanitizedMiddle.toString()).isEqualTo("java.lang.IllegalStateException: wrapped");
      assertThat(sanitizedMiddle.getCause().toString())
          .isEqualTo("java.sql.SQLException: login failed for password ***");
      assertThat(sanitized.getSuppressed()).hasSize(2);
      assertThat(sanitized.getSuppressed()[0].getMessage()).isEqualTo("suppressed ***");
      // A clean subtree is reused as it is, so its type survives.
      assertThat(sanitized.getSuppressed()[1]).isInstanceOf(UnsupportedOperationException.class);
      assertThat(render(sanitized)).contains("Caused by: java.sql.SQLException: login failed");
    }

    @Test
    void masksValuesThatOnlyAppearInToString() {
      RuntimeException custom = new RuntimeException("plain") {
        @Override
        public String toString() {
          return "Custom[token=" + SECRET + "]";
        }
      };
      assertThat(masker.sanitize(custom).toString()).isEqualTo("Custom[token=***]");
    }

    @Test
    void cutsCauseCycles() {
      RuntimeException a = new RuntimeException("a " + SECRET);
      RuntimeException b = new RuntimeException("b", a);
      a.initCause(b);
      Throwable sanitized = masker.sanitize(a);
      assertThat(sanitized.getMessage()).isEqualTo("a ***");
      assertThat(sanitized.getCause().getMessage()).isEqualTo("b");
      assertThat(sanitized.getCause().getCause()).isNull();
      assertThat(render(sanitized)).doesNotContain(SECRET);
    }

    @Test
    void cutsSuppressionCyclesAndSurvivesThrowingGetMessage() {
      RuntimeException a = new RuntimeException("a " + SECRET);
      RuntimeException b = new RuntimeException("b") {
        @Override
        public String getMessage() {
          throw new IllegalStateException("broken");
        }
      };
      a.addSuppressed(b);
      b.addSuppressed(a);
      Throwable sanitized = masker.sanitize(a);
      assertThat(sanitized.getSuppressed()).hasSize(1);
      assertThat(sanitized.getSuppressed()[0].getSuppressed()).isEmpty();
      assertThat(render(sanitized)).doesNotContain(SECRET);
    }

    private String render(Throwable t) {
      StringWriter out = new StringWriter();
      t.printStackTrace(new PrintWriter(out));
      return out.toString();
    }
  }

  @Nested
  class Redact {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void masksRegisteredValuesAnywhereAndSecretKeysAtAnyDepth() throws Exception {
      JsonNode json = mapper.readTree("""
          {"user": "bob", "note": "uses %s daily", "Password": "pw",
           "nested": [{"apiKey": {"id": 1}, "other": 7}, "x %s"],
           "%s": true, "count": 12}
          """.formatted(SECRET, SECRET, SECRET));

      JsonNode redacted = masker.redact(json, Set.of("password", "apikey"));

      assertThat(redacted.toString()).isEqualTo(
          "{\"user\":\"bob\",\"note\":\"uses *** daily\",\"Password\":\"***\","
              + "\"nested\":[{\"apiKey\":\"***\",\"other\":7},\"x ***\"],\"***\":true,\"count\":12}");
      assertThat(json.toString()).contains(SECRET); // the input is not modified
    }

    @Test
    void redactsShortSecretKeyValuesThatFreeTextMatchingIgnores() throws Exception {
      JsonNode json = mapper.readTree("{\"pin\": \"12\", \"code\": 1234}");
      assertThat(masker.redact(json, Set.of("pin")).toString())
          .isEqualTo("{\"pin\":\"***\",\"code\":1234}");
    }

    @Test
    void masksNumericValuesThatAreSecrets() throws Exception {
      masker.register("987654321");
      JsonNode json = mapper.readTree("{\"n\": 987654321}");
      assertThat(masker.redact(json, Set.of()).toString()).isEqualTo("{\"n\":\"***\"}");
    }

    @Test
    void handlesScalarsAndNull() throws Exception {
      assertThat(masker.redact(null, Set.of())).isNull();
      assertThat(masker.redact(mapper.readTree("\"" + SECRET + "\""), Set.of()).asText())
          .isEqualTo("***");
    }
  }
}
