package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecretMaskerTest {

  private final SecretMasker masker = new SecretMasker();

  @Nested
  class FreeText {

    @Test
    void returnsTheSameInstanceWhenNothingMatches() {
      masker.register("hunter22");
      String text = "nothing to see here";
      assertThat(masker.mask(text)).isSameAs(text);
    }

    @Test
    void returnsTheSameInstanceWithNothingRegistered() {
      String text = "nothing registered";
      assertThat(masker.mask(text)).isSameAs(text);
    }

    @Test
    void acceptsAnyCharSequence() {
      masker.register("hunter22");
      assertThat(masker.mask(new StringBuilder("pw=hunter22"))).isEqualTo("pw=***");
    }

    @Test
    void masksEveryOccurrence() {
      masker.register("hunter22");
      assertThat(masker.mask("hunter22 and hunter22, hunter22")).isEqualTo("*** and ***, ***");
    }

    @Test
    void masksAValueThatIsAPrefixOfAnotherAndTheLongerOne() {
      masker.register("abcd");
      masker.register("abcdefgh");
      assertThat(masker.mask("x abcdefgh y abcd z abcdefg")).isEqualTo("x *** y *** z ***efg");
    }

    @Test
    void mergesOverlappingHitsWithDifferentStarts() {
      masker.register("abcdef");
      masker.register("defghi");
      assertThat(masker.mask("[abcdefghi]")).isEqualTo("[***]");
    }

    @Test
    void mergesAdjacentHitsIntoOneToken() {
      masker.register("alpha123");
      masker.register("beta4567");
      assertThat(masker.mask("alpha123beta4567alpha123 end")).isEqualTo("*** end");
    }

    @Test
    void masksAValueInsideAnotherValue() {
      masker.register("outer-secret-value");
      masker.register("secret");
      assertThat(masker.mask("a outer-secret-value b secret c")).isEqualTo("a *** b *** c");
    }

    @Test
    void isIdempotent() {
      masker.register("p4ss**word");
      masker.register("**wo");
      String once = masker.mask("x p4ss**word **word ***wo* y");
      assertThat(masker.mask(once)).isEqualTo(once);
    }

    @Test
    void isIdempotentWhenAValueWouldReappearAcrossATokenBoundary() {
      masker.register("*abc");
      masker.register("zzzz");
      // "zzzz" -> "***", which with "abc" forms "*abc"; masking repeats until nothing matches.
      String once = masker.mask("zzzzabc");
      assertThat(once).isEqualTo("*****");
      assertThat(masker.mask(once)).isEqualTo(once);
    }

    @Test
    void masksNonAsciiAndSurrogatePairs() {
      masker.register("пароль😀x");
      assertThat(masker.mask("is пароль😀x.")).isEqualTo("is ***.");
    }

    @Test
    void usesTheConfiguredTokenAndMinimumLength() {
      SecretMasker custom = SecretMasker.builder().maskToken("[hidden]").minimumLength(10).build();
      assertThat(custom.register("short-one")).isFalse();
      assertThat(custom.register("long-enough")).isTrue();
      assertThat(custom.mask("a long-enough b short-one")).isEqualTo("a [hidden] b short-one");
      assertThat(custom.token()).isEqualTo("[hidden]");
      assertThat(custom.minimumLength()).isEqualTo(10);
    }

    @Test
    void rejectsBadSettingsWithoutEchoingValues() {
      assertThatThrownBy(() -> SecretMasker.builder().maskToken(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("token must not be empty");
      assertThatThrownBy(() -> SecretMasker.builder().minimumLength(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("minimumLength must be at least 1 but was 0");
      assertThatThrownBy(() -> masker.register(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsNoValue() {
      masker.register("hunter22");
      assertThat(masker.toString()).doesNotContain("hunter22").contains("registered=1");
    }
  }

  @Nested
  class MinimumLength {

    @Test
    void shortValuesAreNotMatchedAndLogOneWarningWithoutTheValue() {
      ListAppender<ILoggingEvent> appender = captureWarnings();
      try {
        assertThat(masker.register("abc")).isFalse();
        assertThat(masker.mask("abc abc")).isEqualTo("abc abc");
        assertThat(appender.list).hasSize(1);
        ILoggingEvent warning = appender.list.get(0);
        assertThat(warning.getLevel().toString()).isEqualTo("WARN");
        assertThat(warning.getFormattedMessage())
            .doesNotContain("abc")
            .contains("3 characters")
            .contains("minimum of 4");
      } finally {
        release(appender);
      }
    }

    @Test
    void valuesAtTheMinimumAreMatchedWithoutWarning() {
      ListAppender<ILoggingEvent> appender = captureWarnings();
      try {
        SecretMasker same = SecretMasker.builder().checkMinimumLength(4).build();
        assertThat(same.register("abcd")).isTrue();
        assertThat(same.mask("xabcdx")).isEqualTo("x***x");
        assertThat(same.containsSecret("xabcdx")).isTrue();
        assertThat(appender.list).isEmpty();
      } finally {
        release(appender);
      }
    }

    @Test
    void valuesBelowTheCheckMinimumAreMaskedButCheckedOnlyWhole() {
      ListAppender<ILoggingEvent> appender = captureWarnings();
      try {
        assertThat(masker.register("postgres", "platform:db-password@3")).isTrue();
        assertThat(masker.register("postgres", "platform:db-password@3")).isTrue();
        assertThat(masker.mask("password=postgres")).isEqualTo("password=***");
        assertThat(masker.containsSecret("jdbc:postgresql://db/orders")).isFalse();
        assertThat(masker.containsSecret("postgres".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(masker.isWholeSecret("postgres")).isTrue();
        assertThat(masker.register("a-long-enough-value")).isTrue();
        assertThat(masker.containsSecret("x a-long-enough-value x")).isTrue();
        assertThat(appender.list).singleElement().satisfies(e -> assertThat(
            e.getFormattedMessage()).contains("platform:db-password@3")
            .contains("only where it stands as a whole value").doesNotContain("postgres"));
      } finally {
        release(appender);
      }
    }

    @Test
    void theWarningNamesTheLabelNotTheValueOncePerLabel() {
      ListAppender<ILoggingEvent> appender = captureWarnings();
      try {
        SecretMasker floor8 = SecretMasker.builder().minimumLength(8).build();
        floor8.register("admin", "platform:db-user@1");
        floor8.register("admin", "platform:db-user@1");
        floor8.register("1234", "platform:db-user@1");
        floor8.register("admin", "aws:prod/login#user");
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
            "secret platform:db-user@1 is shorter than the free-text minimum of 8; it is masked"
                + " only where it stands as a whole value",
            "secret aws:prod/login#user is shorter than the free-text minimum of 8; it is masked"
                + " only where it stands as a whole value");
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
            .doesNotContain("admin").doesNotContain("1234"));
      } finally {
        release(appender);
      }
    }

    @Test
    void registeringTwiceIsHarmless() {
      assertThat(masker.register("hunter22")).isTrue();
      assertThat(masker.register(new StringBuilder("hunter22"))).isTrue();
      assertThat(masker.registeredCount()).isEqualTo(1);
      assertThat(masker.mask("hunter22")).isEqualTo("***");
    }

    private ListAppender<ILoggingEvent> captureWarnings() {
      Logger logger = (Logger) LoggerFactory.getLogger(SecretMasker.class);
      ListAppender<ILoggingEvent> appender = new ListAppender<>();
      appender.start();
      logger.addAppender(appender);
      return appender;
    }

    private void release(ListAppender<ILoggingEvent> appender) {
      ((Logger) LoggerFactory.getLogger(SecretMasker.class)).detachAppender(appender);
    }
  }

  @Nested
  class Bytes {

    private static final String VALUE = "hunter22-pässword";

    Bytes() {
      masker.register(VALUE);
    }

    @Test
    void findsUtf16InBothByteOrdersAtBothAlignments() {
      for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
        for (int pad = 0; pad < 3; pad++) {
          byte[] bytes = concat(new byte[pad], ("x=" + VALUE + ";").getBytes(charset));
          assertThat(masker.containsSecret(bytes)).as(charset + " after " + pad).isTrue();
        }
      }
    }

    @Test
    void findsUtf8Latin1AndDerivedFormsInBytes() {
      assertThat(masker.containsSecret(("{\"v\":\"" + VALUE + "\"}").getBytes(UTF_8))).isTrue();
      assertThat(masker.containsSecret(VALUE.getBytes(StandardCharsets.ISO_8859_1))).isTrue();
      String base64 = Base64.getEncoder().encodeToString(VALUE.getBytes(UTF_8));
      assertThat(masker.containsSecret(base64.getBytes(StandardCharsets.UTF_16BE))).isTrue();
      byte[] framed = concat(new byte[] {1, 2, 3}, VALUE.getBytes(UTF_8));
      assertThat(masker.containsSecret(framed, 3, framed.length - 3)).isTrue();
      assertThat(masker.containsSecret(framed, 0, 6)).isFalse();
    }

    @Test
    void findsJavaSerializedCharArraysAndStrings() throws IOException {
      record Holder(String text, char[] chars) implements Serializable {}
      for (Holder holder : List.of(new Holder(VALUE, null), new Holder(null, VALUE.toCharArray()),
          new Holder("😀" + VALUE, null))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
          objects.writeObject(holder);
        }
        assertThat(masker.containsSecret(out.toByteArray())).isTrue();
      }
      ByteArrayOutputStream modified = new ByteArrayOutputStream();
      try (DataOutputStream data = new DataOutputStream(modified)) {
        data.writeUTF("\0" + VALUE + "😀");
      }
      assertThat(masker.containsSecret(modified.toByteArray())).isTrue();
    }

    @Test
    void reportsNothingForBytesWithoutAValue() {
      assertThat(masker.containsSecret(new byte[0])).isFalse();
      assertThat(masker.containsSecret("hunter22-pässwor".getBytes(StandardCharsets.UTF_16LE)))
          .isFalse();
      byte[] noise = new byte[4096];
      new java.util.Random(7).nextBytes(noise);
      assertThat(masker.containsSecret(noise)).isFalse();
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }

  /** Values below the free-text floor: found only where they stand as a whole value. */
  @Nested
  class WholeValues {

    private final SecretMasker floor8 = SecretMasker.builder().minimumLength(8).build();

    @Test
    void aShortValueIsAWholeSecretButNotFoundInsideText() {
      assertThat(floor8.register("admin", "platform:db-user@1")).isFalse();
      assertThat(floor8.isWholeSecret("admin")).isTrue();
      assertThat(floor8.isWholeSecret(new StringBuilder("admin"))).isTrue();
      assertThat(floor8.isWholeSecret(" admin\n")).isTrue();
      assertThat(floor8.isWholeSecret("&#97;dmin")).isTrue();
      assertThat(floor8.isWholeSecret("administrator")).isFalse();
      assertThat(floor8.isWholeSecret("Admin")).isFalse();
      assertThat(floor8.containsSecret("administrator")).isFalse();
      assertThat(floor8.containsSecret("the admin user")).isFalse();
      assertThat(floor8.containsSecret("admin")).isFalse();
      assertThat(floor8.mask("the admin user")).isEqualTo("the admin user");
      assertThat(floor8.wholeOnlyCount()).isEqualTo(1);
      assertThat(floor8.registeredCount()).isZero();
    }

    @Test
    void aLongValueIsBothAWholeSecretAndFoundInsideText() {
      floor8.register("postgres-pw");
      assertThat(floor8.isWholeSecret("postgres-pw")).isTrue();
      assertThat(floor8.isWholeSecret("the postgres-pw")).isFalse();
      assertThat(floor8.containsSecret("the postgres-pw")).isTrue();
      assertThat(floor8.isWholeSecret("nothing")).isFalse();
    }

    @Test
    void aValueWithSurroundingWhitespaceMatchesExactly() {
      floor8.register(" 1234 ");
      assertThat(floor8.isWholeSecret(" 1234 ")).isTrue();
      assertThat(floor8.isWholeSecret("1234")).isFalse();
    }

    @Test
    void blankValuesAreNotRegistered() {
      assertThat(floor8.register("")).isFalse();
      assertThat(floor8.register("  ")).isFalse();
      assertThat(floor8.isWholeSecret("")).isFalse();
      assertThat(floor8.isWholeSecret("  ")).isFalse();
      assertThat(floor8.wholeOnlyCount()).isZero();
    }
  }

  @Nested
  class MultiLine {

    private static final String KEY = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG\n{\n-----END KEY-----";

    @Test
    void masksTheWholeValue() {
      masker.register(KEY);
      assertThat(masker.mask("key: " + KEY + " end")).isEqualTo("key: *** end");
    }

    @Test
    void masksEachLineOnItsOwn() {
      masker.register(KEY);
      assertThat(masker.mask("line MIIEvQIBADANBgkqhkiG seen")).isEqualTo("line *** seen");
      assertThat(masker.mask("-----END KEY----- seen")).isEqualTo("*** seen");
    }

    @Test
    void masksTheValueWithOtherLineEndings() {
      masker.register(KEY);
      assertThat(masker.mask(KEY.replace("\n", "\r\n"))).isEqualTo("***");
    }

    @Test
    void doesNotRegisterLinesShorterThanTheMinimum() {
      masker.register(KEY);
      assertThat(masker.mask("{ \"a\": 1 }")).isEqualTo("{ \"a\": 1 }");
    }

    @Test
    void masksIndentedLines() {
      masker.register("first-line\n    second-line");
      assertThat(masker.mask("second-line")).isEqualTo("***");
    }
  }

  @Nested
  class Concurrency {

    @Test
    void aValueIsMaskedOnOtherThreadsOnceRegisterReturns() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> maskers = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(3);
        for (int t = 0; t < 3; t++) {
          maskers.add(pool.submit(() -> {
            running.countDown();
            while (!stop.get()) {
              masker.mask("background text with value-0000 and value-0001 in it");
            }
            return null;
          }));
        }
        running.await();
        for (int i = 0; i < 300; i++) {
          String value = String.format("value-%04d", i);
          masker.register(value);
          Future<String> seen = pool.submit(() -> masker.mask("<" + value + ">"));
          assertThat(seen.get()).isEqualTo("<***>");
        }
        stop.set(true);
        for (Future<?> f : maskers) {
          f.get();
        }
        for (int i = 0; i < 300; i++) {
          assertThat(masker.mask(String.format("value-%04d", i))).isEqualTo("***");
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      }
    }
  }
}
