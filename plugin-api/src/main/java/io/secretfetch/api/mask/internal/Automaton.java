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

  static final Automaton EMPTY =
      new Automaton(new char[Character.MAX_VALUE + 1], new int[1], new int[] {-2}, new int[1],
          new int[0], new int[0], 0, 0, false);

  private final char[] classOf;
  private final int[] base;
  private final int[] check;
  private final int[] fail;
  private final int[] outputStates;
  private final int[] outputInfo;
  private final int longest;
  private final int formCount;
  private final boolean hasBase64;

  Automaton(char[] classOf, int[] base, int[] check, int[] fail, int[] outputStates,
      int[] outputInfo, int longest, int formCount, boolean hasBase64) {
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

  /** The state after reading {@code ch} in state {@code s}. */
  int next(int s, char ch) {
    int c = classOf[ch];
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

  /** Whether any form occurs in {@code text}. Allocates nothing. */
  public boolean matchesAnywhere(String text) {
    // The hot loop of every hit-free mask call: next() inlined over local copies of the arrays.
    final char[] classes = classOf;
    final int[] bases = base;
    final int[] checks = check;
    final int[] fails = fail;
    int s = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      int c = classes[text.charAt(i)];
      if (c == 0) {
        s = 0;
        continue;
      }
      while (true) {
        int t = (bases[s] & BASE) + c;
        if (checks[t] == s) {
          s = t;
          break;
        }
        if (s == 0) {
          break;
        }
        s = fails[s];
      }
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
      if (classOf[chars.charAt(i)] != 0) {
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
        + 4L * (outputStates.length + outputInfo.length);
    return arrays + 7 * 16 + 48;
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
