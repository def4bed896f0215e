package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaskingStreamsTest {

  private final SecretMasker masker = new SecretMasker();
  private final RecordingWriter target = new RecordingWriter();

  @Nested
  class Writers {

    @Test
    void masksAValueWrittenOneCharacterAtATime() throws IOException {
      masker.register("hunter22");
      try (Writer writer = masker.maskingWriter(target)) {
        for (char c : "user=hunter22;\n".toCharArray()) {
          writer.write(c);
        }
      }
      assertThat(target.text()).isEqualTo("user=***;\n");
    }

    @Test
    void masksAValueSplitAcrossWritesAtEveryPosition() throws IOException {
      masker.register("correct-horse");
      String line = "login correct-horse ok\n";
      for (int split = 0; split <= line.length(); split++) {
        RecordingWriter out = new RecordingWriter();
        try (Writer writer = masker.maskingWriter(out)) {
          writer.write(line, 0, split);
          writer.write(line, split, line.length() - split);
        }
        assertThat(out.text()).as("split at %d", split).isEqualTo("login *** ok\n");
      }
    }

    @Test
    void holdsBackOnlyWhatCouldStillBecomeAValue() throws IOException {
      masker.register("correct-horse");
      Writer writer = masker.maskingWriter(target);
      writer.write("status: corr");
      assertThat(target.text()).isEqualTo("status: ");
      writer.write("ugated");
      assertThat(target.text()).isEqualTo("status: corrugated");
    }

    @Test
    void neverHoldsBackMoreThanTheLongestFormMinusOne() throws IOException {
      masker.register("abcdefgh");
      Writer writer = masker.maskingWriter(target);
      writer.write("xx abcdefg");
      assertThat(target.text()).isEqualTo("xx ");
      writer.write("g");
      assertThat(target.text()).isEqualTo("xx abcdefgg");
    }

    @Test
    void forwardsLinesAsTheyEndAndFlushesTheTarget() throws IOException {
      masker.register("hunter22");
      Writer writer = masker.maskingWriter(target);
      writer.write("first hunter22\nsecond");
      assertThat(target.text()).isEqualTo("first ***\nsecond");
      assertThat(target.flushes).isEqualTo(1);
    }

    @Test
    void flushForwardsEverything() throws IOException {
      masker.register("hunter22");
      Writer writer = masker.maskingWriter(target);
      writer.write("prompt hunt");
      assertThat(target.text()).isEqualTo("prompt ");
      writer.flush();
      assertThat(target.text()).isEqualTo("prompt hunt");
      assertThat(target.flushes).isEqualTo(1);
    }

    @Test
    void masksWhatRemainsOfAValueAfterAForcedFlush() throws IOException {
      masker.register("hunter22");
      Writer writer = masker.maskingWriter(target);
      writer.write("hunt");
      writer.flush();
      writer.write("er22 done\n");
      assertThat(target.text()).isEqualTo("hunt*** done\n");
    }

    @Test
    void carriageReturnProgressOutputIsForwardedAsItComes() throws IOException {
      masker.register("hunter22");
      Writer writer = masker.maskingWriter(target);
      for (int percent = 0; percent <= 100; percent++) {
        writer.write("\rdownloading " + percent + "% ");
        assertThat(target.text()).endsWith("\rdownloading " + percent + "% ");
      }
      assertThat(target.flushes).isEqualTo(101);
    }

    @Test
    void mergesAdjacentValuesAcrossWritesIntoOneToken() throws IOException {
      masker.register("alpha123");
      masker.register("beta4567");
      try (Writer writer = masker.maskingWriter(target)) {
        writer.write("[alpha123");
        writer.write("beta4567");
        writer.write("alpha123]\n");
      }
      assertThat(target.text()).isEqualTo("[***]\n");
    }

    @Test
    void masksABase64RunThatContinuesAcrossWrites() throws IOException {
      masker.register("hunter2hunter2");
      String encoded = Base64.getEncoder().encodeToString(
          "prefix-bytes hunter2hunter2 and a long tail of other bytes".getBytes(UTF_8));
      try (Writer writer = masker.maskingWriter(target)) {
        writer.write("data=");
        for (int i = 0; i < encoded.length(); i += 5) {
          writer.write(encoded, i, Math.min(5, encoded.length() - i));
        }
        writer.write(" end\n");
      }
      // The 13 bytes before the value (17 characters and the one shared with the value) may have been
      // forwarded before the value could be recognised; nothing from the value on survives.
      String text = target.text();
      assertThat(text).startsWith("data=").endsWith("*** end\n");
      String forwarded = text.substring("data=".length(), text.length() - "*** end\n".length());
      assertThat(encoded).startsWith(forwarded);
      assertThat(forwarded.length()).isLessThanOrEqualTo(18);
    }

    @Test
    void masksValuesRegisteredWhileTextIsHeldBack() throws IOException {
      masker.register("abcdxxxx");
      Writer writer = masker.maskingWriter(target);
      writer.write("token: abcd");
      assertThat(target.text()).isEqualTo("token: ");
      masker.register("abcdefgh");
      writer.write("efgh\n");
      assertThat(target.text()).isEqualTo("token: ***\n");
    }

    @Test
    void writesLargeInputInBoundedChunks() throws IOException {
      masker.register("hunter22");
      String big = "x".repeat(100_000) + "hunter22" + "y".repeat(100_000);
      try (Writer writer = masker.maskingWriter(target)) {
        writer.write(big);
      }
      assertThat(target.text()).isEqualTo("x".repeat(100_000) + "***" + "y".repeat(100_000));
    }

    @Test
    void rejectsWritesAfterClose() throws IOException {
      Writer writer = masker.maskingWriter(target);
      writer.close();
      writer.close();
      assertThat(target.closed).isTrue();
      assertThatThrownBy(() -> writer.write("x")).isInstanceOf(IOException.class)
          .hasMessage("Stream closed");
    }
  }

  @Nested
  class ByteStreams {

    @Test
    void masksAValueSplitInsideAMultiByteSequence() throws IOException {
      String secret = "pässwört€😀";
      masker.register(secret);
      byte[] bytes = ("key=" + secret + " ok\n").getBytes(UTF_8);
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream stream = masker.maskingStream(sink, UTF_8)) {
        for (byte b : bytes) {
          stream.write(b);
        }
      }
      assertThat(sink.toString(UTF_8)).isEqualTo("key=*** ok\n");
    }

    @Test
    void passesTextWithoutValuesThroughByteForByte() throws IOException {
      masker.register("hunter22");
      byte[] bytes = "naïve text ✓ with 😀 emoji\nand lines\n".getBytes(UTF_8);
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream stream = masker.maskingStream(sink, UTF_8)) {
        stream.write(bytes, 0, 7);
        stream.write(bytes, 7, bytes.length - 7);
      }
      assertThat(sink.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void replacesMalformedInputInsteadOfFailing() throws IOException {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream stream = masker.maskingStream(sink, UTF_8)) {
        stream.write(new byte[] {'a', (byte) 0xff, 'b', '\n'});
      }
      assertThat(sink.toString(UTF_8)).isEqualTo("a\uFFFDb\n");
    }

    @Test
    void flushesTheTargetOnLineEnds() throws IOException {
      masker.register("hunter22");
      CountingStream sink = new CountingStream();
      OutputStream stream = masker.maskingStream(sink, UTF_8);
      stream.write("a hunter22 line\n".getBytes(UTF_8));
      assertThat(sink.bytes.toString(UTF_8)).isEqualTo("a *** line\n");
      assertThat(sink.flushes).isEqualTo(1);
    }
  }

  /** A writer that records what reached it and how often it was flushed. */
  static final class RecordingWriter extends Writer {
    private final StringWriter text = new StringWriter();
    int flushes;
    boolean closed;

    @Override
    public void write(char[] cbuf, int off, int len) {
      text.write(cbuf, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {
      closed = true;
    }

    String text() {
      return text.toString();
    }
  }

  static final class CountingStream extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int flushes;

    @Override
    public void write(int b) {
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
