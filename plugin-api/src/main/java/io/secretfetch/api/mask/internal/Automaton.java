package io.secretfetch.api.mask.internal;

import java.util.Arrays;

/**
 * An immutable Aho–Corasick automaton over a set of {@link Form}s, stored as a double-array trie.
 *
 * <p>States are slots of three parallel int arrays: the child of state {@code s} on character class
 * {@code c} is slot {@code t = base[s] + c} if {@code check[t] == s}; otherwise the automaton follows
 * {@code fail[s]}. The sign bit of {@code base[s]} marks a state at which some form ends, so the scan
 * loop learns about hits from the word it reads anyway. Characters are first mapped to dense class
 * ids; a character that occurs in no form is class 0 and sends the automaton straight to the root.
 *
 * <p>Matching reads each character once, whatever the number of forms. Instances are immutable and
 * safe to share between threads. Built by {@link AutomatonBuilder}.
 */
public final class Automaton {

  static final int OUTPUT = 0x8000_0000;
  static final int BASE = 0x7fff_ffff;

  /** Multiplier of the prefix filter's hash (the 64-bit golden ratio). */
  static final long HASH = 0x9E3779B97F4A7C15L;
  /** Characters of the prefix filter's window, at most: four UTF-16 units fill a long. */
  static final int MAX_WINDOW = 4;

  static final Automaton EMPTY =
      new Automaton(new char[1], new int[1], new int[] {-2}, new int[1],
          new int[0], new int[0], 0, 0, false, 1, new long[1], 58);

  private final char[] classOf;
  private final int[] base;
  private final int[] check;
  private final int[] fail;
  private final int[] outputStates;
  private final int[] outputInfo;
  private final int longest;
  private final int formCount;
  private final boolean hasBase64;
  /**
   * The prefix filter: one bit per hash of the first {@link #window} characters of every form, so a
   * text position whose bit is clear cannot start a form. Sized to a few percent occupancy.
   */
  private final int window;
  private final long[] prefixBits;
  private final int prefixShift;

  Automaton(char[] classOf, int[] base, int[] check, int[] fail, int[] outputStates,
      int[] outputInfo, int longest, int formCount, boolean hasBase64, int window,
      long[] prefixBits, int prefixShift) {
    this.window = window;
    this.prefixBits = prefixBits;
    this.prefixShift = prefixShift;
    this.classOf = classOf;
    this.base = base;
    this.check = check;
    this.fail = fail;
    this.outputStates = outputStates;
    this.outputInfo = outputInfo;
    this.longest = longest;
    this.formCount = formCount;
    this.hasBase64 = hasBase64;
  }

  /**
   * The class of {@code ch}: the table covers only the characters up to the highest one that occurs in
   * a form (128 entries for ASCII forms), so small automata stay small; anything above is class 0.
   */
  private int classOf(char ch) {
    final char[] classes = classOf;
    return ch < classes.length ? classes[ch] : 0;
  }

  /** The state after reading {@code ch} in state {@code s}. */
  int next(int s, char ch) {
    int c = classOf(ch);
    if (c == 0) {
      return 0;
    }
    while (true) {
      int t = (base[s] & BASE) + c;
      if (check[t] == s) {
        return t;
      }
      if (s == 0) {
        return 0;
      }
      s = fail[s];
    }
  }

  /** The bits of {@code w} that hold the last {@code window} characters. */
  static long windowMask(int window) {
    return window >= MAX_WINDOW ? -1L : (1L << (16 * window)) - 1;
  }

  /**
   * Whether any form occurs in {@code text}. Allocates nothing.
   *
   * <p>The hot loop of every hit-free mask call. It does not run the automaton over every character
   * (a chain of dependent loads per character); it slides a window of the last {@link #window}
   * characters over the text and looks its hash up in the prefix filter. Those lookups do not depend
   * on each other, so the processor overlaps them. Only where the bit is set (a few percent of the
   * positions, or where a form really starts) does {@link #matchesAt} walk the trie. Every form is
   * at least {@code window} characters long, so no form can start where the filter says no.
   */
  public boolean matchesAnywhere(String text) {
    final long[] bits = prefixBits;
    final int shift = prefixShift;
    final int q = window;
    final long mask = windowMask(q);
    final int n = text.length();
    if (n < q) {
      return false;
    }
    long w = 0;
    for (int i = 0; i < q - 1; i++) {
      w = (w << 16) | text.charAt(i);
    }
    for (int i = q - 1; i < n; i++) {
      w = (w << 16) | text.charAt(i);
      int h = (int) (((w & mask) * HASH) >>> shift);
      if ((bits[h >>> 6] & (1L << h)) != 0 && matchesAt(text, i - q + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the prefix filter admits a form start for the hashed window {@code product}. */
  boolean mayStart(long product) {
    int h = (int) (product >>> prefixShift);
    return (prefixBits[h >>> 6] & (1L << h)) != 0;
  }

  /**
   * Whether a form, or a form that ends inside one, starts at {@code text[from]}: walks the trie from
   * the root along the text without failure links and stops at the first missing child. Together with
   * a filter over the first characters of every form this answers {@link #matchesAnywhere} at only the
   * candidate positions.
   */
  boolean matchesAt(String text, int from) {
    if (formCount == 0) {
      return false;
    }
    final char[] classes = classOf;
    final int[] bases = base;
    final int[] checks = check;
    int s = 0;
    for (int i = from, n = text.length(); i < n; i++) {
      char ch = text.charAt(i);
      int c = ch < classes.length ? classes[ch] : 0;
      int t = (bases[s] & BASE) + c;
      if (c == 0 || checks[t] != s) {
        return false;
      }
      s = t;
      if (bases[s] < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Scans {@code buf[from, to)} starting in {@code state}, adds every hit to {@code hits} and returns
   * the state after the last character. Base64 hits widen over the run around them, backwards no
   * further than index 0 and forwards no further than {@code to}.
   */
  public int scan(char[] buf, int from, int to, int state, HitList hits) {
    int s = state;
    for (int i = from; i < to; i++) {
      s = next(s, buf[i]);
      if (base[s] < 0) {
        int info = outputInfo[Arrays.binarySearch(outputStates, s)];
        int end = i + 1;
        // A stream may already have forwarded the head of the hit (flush()); mask what remains.
        int start = Math.max(0, end - (info >>> 1));
        if ((info & 1) == 0) {
          hits.add(start, end, false);
        } else {
          start = widenBackward(buf, start);
          end = widenForward(buf, end, to);
          hits.add(start, end, end == to);
        }
      }
    }
    return s;
  }

  private static int widenBackward(char[] buf, int start) {
    while (start > 0 && Base64Cores.isBase64Char(buf[start - 1])) {
      start--;
    }
    return start;
  }

  private static int widenForward(char[] buf, int end, int limit) {
    while (end < limit && Base64Cores.isBase64Char(buf[end])) {
      end++;
    }
    while (end < limit && buf[end] == '=') {
      end++;
    }
    return end;
  }

  /**
   * How many of the characters read so far a later hit could still start in: the length of the
   * longest suffix of the input that can grow into a form. A complete form that no longer form
   * extends does not count, so this is at most (longest form - 1).
   */
  public int pendingLength(int state) {
    int s = state;
    while (s != 0 && (base[s] & BASE) == 0) {
      s = fail[s];
    }
    int depth = 0;
    while (s != 0) {
      s = check[s];
      depth++;
    }
    return depth;
  }

  /** Whether any form contains one of the characters of {@code chars}. */
  public boolean usesAnyOf(String chars) {
    for (int i = 0; i < chars.length(); i++) {
      if (classOf(chars.charAt(i)) != 0) {
        return true;
      }
    }
    return false;
  }

  public boolean hasBase64Forms() {
    return hasBase64;
  }

  public int longestForm() {
    return longest;
  }

  public int formCount() {
    return formCount;
  }

  public boolean isEmpty() {
    return formCount == 0;
  }

  /** Approximate bytes held by this automaton (arrays and headers). */
  public long retainedBytes() {
    long arrays = 2L * classOf.length + 4L * (base.length + check.length + fail.length)
        + 4L * (outputStates.length + outputInfo.length) + 8L * prefixBits.length;
    return arrays + 8 * 16 + 56;
  }

  /** Number of trie slots (states plus free slots in the double array). */
  public int slotCount() {
    return base.length;
  }

  @Override
  public String toString() {
    return "Automaton[forms=" + formCount + ", slots=" + base.length + ", longest=" + longest + "]";
  }
}
