package io.secretfetch.api.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
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
        assertThat(masker.register("abcd")).isTrue();
        assertThat(masker.mask("xabcdx")).isEqualTo("x***x");
        assertThat(appender.list).isEmpty();
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
