package io.secretfetch.api.mask.internal;

import java.util.Arrays;

/**
 * The character ranges to mask in one text or stream buffer, as {@code [start, end)} pairs.
 *
 * <p>Hits arrive in any order (several automata, widening); {@link #normalize()} sorts them and merges
 * overlapping and adjacent ranges, so one mask token stands for a whole run of secrets and the output
 * does not reveal how many there were. Mutable and not thread-safe: one per call or per stream.
 */
public final class HitList {

  private long[] ranges = new long[8];
  private int size;
  private boolean openBase64Run;

  /** Adds {@code [start, end)}; {@code openRun} says a widened base64 hit reached the end of the data. */
  public void add(int start, int end, boolean openRun) {
    if (size == ranges.length) {
      ranges = Arrays.copyOf(ranges, size * 2);
    }
    ranges[size++] = ((long) start << 32) | end;
    openBase64Run |= openRun;
  }

  /** Sorts by start and merges ranges that overlap or touch. */
  public void normalize() {
    if (size < 2) {
      return;
    }
    Arrays.sort(ranges, 0, size);
    int merged = 0;
    for (int i = 1; i < size; i++) {
      if (start(i) <= end(merged)) {
        if (end(i) > end(merged)) {
          ranges[merged] = ((long) start(merged) << 32) | end(i);
        }
      } else {
        ranges[++merged] = ranges[i];
      }
    }
    size = merged + 1;
  }

  public int size() {
    return size;
  }

  public int start(int i) {
    return (int) (ranges[i] >>> 32);
  }

  public int end(int i) {
    return (int) ranges[i];
  }

  /** Whether a base64 hit was widened up to the end of the scanned data (it may continue); resets. */
  public boolean takeOpenBase64Run() {
    boolean open = openBase64Run;
    openBase64Run = false;
    return open;
  }

  /** Drops the first {@code count} ranges and shifts the others left by {@code offset} characters. */
  public void dropAndShift(int count, int offset) {
    int kept = 0;
    for (int i = count; i < size; i++) {
      ranges[kept++] = ((long) (start(i) - offset) << 32) | (end(i) - offset);
    }
    size = kept;
    openBase64Run = false;
  }

  public void clear() {
    size = 0;
    openBase64Run = false;
  }

  /** Builds {@code text} with every (normalized) range replaced by {@code token}. */
  public String apply(CharSequence text, String token) {
    StringBuilder out = new StringBuilder(text.length());
    int done = 0;
    for (int i = 0; i < size; i++) {
      out.append(text, done, start(i)).append(token);
      done = end(i);
    }
    return out.append(text, done, text.length()).toString();
  }
}
