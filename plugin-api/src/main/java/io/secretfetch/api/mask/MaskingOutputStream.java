package io.secretfetch.api.mask;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Objects;

/**
 * The byte side of {@link SecretMasker#maskingStream}: decodes to characters (keeping an incomplete
 * multi-byte sequence until its remaining bytes arrive) and hands them to a {@link MaskingWriter}.
 */
final class MaskingOutputStream extends OutputStream {

  private static final int CHUNK = 8192;

  private final CharsetDecoder decoder;
  private final Writer writer;
  private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
  private final CharBuffer chars = CharBuffer.allocate(CHUNK);
  private boolean closed;

  MaskingOutputStream(Charset charset, Writer maskingWriter) {
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    this.writer = maskingWriter;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    synchronized (this) {
      ensureOpen();
      while (len > 0) {
        int n = Math.min(len, bytes.remaining());
        bytes.put(b, off, n);
        off += n;
        len -= n;
        decode(false);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    synchronized (this) {
      ensureOpen();
      writer.flush();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        decode(true);
        decoder.flush(chars);
        drainChars();
      } finally {
        closed = true;
        writer.close();
      }
    }
  }

  private void decode(boolean endOfInput) throws IOException {
    bytes.flip();
    while (true) {
      boolean overflow = decoder.decode(bytes, chars, endOfInput).isOverflow();
      drainChars();
      if (!overflow) {
        break;
      }
    }
    bytes.compact();
  }

  private void drainChars() throws IOException {
    chars.flip();
    if (chars.hasRemaining()) {
      writer.write(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
    }
    chars.clear();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
  }
}
