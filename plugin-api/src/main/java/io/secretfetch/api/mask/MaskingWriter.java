package io.secretfetch.api.mask;

import io.secretfetch.api.mask.internal.Base64Cores;
import io.secretfetch.api.mask.internal.CompiledSecrets;
import io.secretfetch.api.mask.internal.HitList;
import io.secretfetch.api.mask.internal.SecretRegistry;
import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * The streaming masker behind {@link SecretMasker#maskingWriter}.
 *
 * <p>Characters are appended to a buffer and fed to the automata once. After each write the writer
 * forwards everything that no future hit can reach back into and keeps the rest: the longest suffix
 * that can still grow into a form (see {@code pendingLength}), so at most (longest form - 1)
 * characters. Hits that reach into already forwarded text (only possible after a {@code flush()})
 * mask what is left of them; a masked run that continues into the next write (overlapping or
 * adjacent hit, base64 run) stays one token. A base64 hit widens backwards over what is still held,
 * not over text already forwarded: unlike {@link SecretMasker#mask}, a stream may have forwarded the
 * start of a long base64 run, including the one character that carries 2 or 4 bits of the value.
 * Nor does a stream repeat masking over its own tokens as {@code mask} does, so a value that begins
 * or ends with token characters (say "*abc1") can re-form from a token and the plain text after it.
 */
final class MaskingWriter extends Writer {

  private static final int CHUNK = 8192;

  private final Writer out;
  private final SecretRegistry registry;
  private final String token;
  private final HitList hits = new HitList();
  private char[] buf = new char[CHUNK];
  private int length;
  private int scanned;
  private CompiledSecrets compiled;
  private int[] states;
  /** The output ends with a token whose run a hit starting at buf[0] continues. */
  private boolean tokenOpen;
  /** A masked base64 run ends at buf[runEnd] and swallows base64 characters that follow; or -1. */
  private int runEnd = -1;
  private boolean closed;

  MaskingWriter(Writer out, SecretRegistry registry, String token) {
    this.out = out;
    this.registry = registry;
    this.token = token;
  }

  @Override
  public void write(int c) throws IOException {
    synchronized (lock) {
      ensureOpen();
      ensureRoom(1);
      buf[length++] = (char) c;
      process(isLineEnd((char) c));
    }
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, cbuf.length);
    synchronized (lock) {
      ensureOpen();
      while (len > 0) {
        int n = Math.min(len, CHUNK);
        ensureRoom(n);
        System.arraycopy(cbuf, off, buf, length, n);
        length += n;
        process(containsLineEnd(length - n, length));
        off += n;
        len -= n;
      }
    }
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, str.length());
    synchronized (lock) {
      ensureOpen();
      while (len > 0) {
        int n = Math.min(len, CHUNK);
        ensureRoom(n);
        str.getChars(off, off + n, buf, length);
        length += n;
        process(containsLineEnd(length - n, length));
        off += n;
        len -= n;
      }
    }
  }

  /** Forwards everything buffered, masked, and flushes the target. */
  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      ensureOpen();
      scan();
      emit(length);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        scan();
        emit(length);
      } finally {
        closed = true;
        out.close();
      }
    }
  }

  private void process(boolean lineEnd) throws IOException {
    scan();
    emit(length - compiled.pendingLength(states));
    if (lineEnd) {
      out.flush();
    }
  }

  /** Feeds the characters not yet scanned to the automata (all buffered ones if secrets changed). */
  private void scan() {
    CompiledSecrets current = registry.current();
    if (current != compiled) {
      compiled = current;
      states = current.newStates();
      hits.clear();
      scanned = 0;
    }
    if (runEnd >= 0 && runEnd == scanned) {
      int end = scanned;
      while (end < length && (Base64Cores.isBase64Char(buf[end]) || buf[end] == '=')) {
        end++;
      }
      if (end > scanned) {
        hits.add(scanned, end, false);
      }
      runEnd = end == length ? end : -1;
    }
    compiled.scan(buf, scanned, length, states, hits);
    if (hits.takeOpenBase64Run()) {
      runEnd = length;
    }
    scanned = length;
    hits.normalize();
  }

  /** Writes buf[0, limit) (and any masked run that starts before limit) and drops it from buf. */
  private void emit(int limit) throws IOException {
    int done = 0;
    int used = 0;
    while (used < hits.size() && hits.start(used) < limit) {
      int start = hits.start(used);
      if (start > done) {
        out.write(buf, done, start - done);
        tokenOpen = false;
      }
      if (!tokenOpen) {
        out.write(token);
        tokenOpen = true;
      }
      done = hits.end(used);
      used++;
    }
    if (limit > done) {
      out.write(buf, done, limit - done);
      tokenOpen = false;
      done = limit;
    }
    if (done == 0) {
      return;
    }
    hits.dropAndShift(used, done);
    System.arraycopy(buf, done, buf, 0, length - done);
    length -= done;
    scanned -= done;
    if (runEnd >= 0) {
      runEnd -= done;
    }
  }

  private boolean containsLineEnd(int from, int to) {
    for (int i = from; i < to; i++) {
      if (isLineEnd(buf[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r';
  }

  private void ensureRoom(int n) {
    if (length + n > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(length + n, buf.length * 2));
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
  }

  @Override
  public String toString() {
    return "MaskingWriter[buffered=" + length + "]";
  }
}
