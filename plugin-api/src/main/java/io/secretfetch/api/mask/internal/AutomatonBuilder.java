package io.secretfetch.api.mask.internal;

import java.util.Arrays;
import java.util.Map;

/**
 * Builds an {@link Automaton} from a set of forms in one breadth-first sweep.
 *
 * <p>The forms are sorted, so the forms below a trie node are a contiguous range and the node's
 * children are the distinct characters at its depth within that range; no pointer trie is ever
 * materialised. Each level is placed into the double array (first free slots that fit all children)
 * and then gets its failure links and outputs, which only depend on shallower levels.
 */
public final class AutomatonBuilder {

  private static final int FREE = -1;
  private static final int WIDE_SEARCH_WINDOW = 512;

  private final String[] texts;
  private final boolean[] base64;
  private char[] classOf;
  private int classCount;

  private int[] base;
  private int[] check;
  private int[] fail;
  private int[] info;
  /** Union-find links to the next free slot: nextFree[p] == p for a free slot. */
  private int[] nextFree;
  private int wideSearchFrom = 2;
  private int highestUsed;

  private int window = 1;

  private AutomatonBuilder(Map<String, Boolean> forms) {
    texts = forms.keySet().toArray(new String[0]);
    Arrays.sort(texts);
    base64 = new boolean[texts.length];
    for (int i = 0; i < texts.length; i++) {
      base64[i] = forms.get(texts[i]);
    }
  }

  private AutomatonBuilder(String[] sortedTexts, boolean[] base64) {
    this.texts = sortedTexts;
    this.base64 = base64;
  }

  /** Builds the automaton for {@code forms} (text to "widens over base64"). */
  public static Automaton build(Map<String, Boolean> forms) {
    if (forms.isEmpty()) {
      return Automaton.EMPTY;
    }
    AutomatonBuilder builder = new AutomatonBuilder(forms);
    int shortest = Integer.MAX_VALUE;
    for (String text : builder.texts) {
      shortest = Math.min(shortest, text.length());
    }
    builder.window = Math.max(1, Math.min(Automaton.MAX_WINDOW, shortest));
    return builder.build();
  }

  /**
   * Builds the automaton for distinct texts in ascending {@link String#compareTo} order, with their
   * "widens over base64" flags. The arrays are not copied and must not be modified afterwards.
   */
  static Automaton build(String[] sortedTexts, boolean[] base64, int window) {
    if (sortedTexts.length == 0) {
      return Automaton.EMPTY;
    }
    AutomatonBuilder builder = new AutomatonBuilder(sortedTexts, base64);
    builder.window = window;
    return builder.build();
  }

  private Automaton build() {
    assignClasses();
    long totalChars = 0;
    int longest = 0;
    boolean anyBase64 = false;
    for (int i = 0; i < texts.length; i++) {
      totalChars += texts[i].length();
      longest = Math.max(longest, texts[i].length());
      anyBase64 |= base64[i];
    }
    int capacity = (int) Math.min(Integer.MAX_VALUE - 16, totalChars + classCount + 16);
    base = new int[capacity];
    check = new int[capacity];
    fail = new int[capacity];
    info = new int[capacity];
    nextFree = new int[capacity];
    Arrays.fill(check, FREE);
    Arrays.setAll(nextFree, p -> p);
    check[0] = -2;
    nextFree[0] = 1;
    nextFree[1] = 2; // slot 1 can never hold a child: base >= 1 and class >= 1

    int n = texts.length;
    Level level = new Level(n + 1);
    Level nextLevel = new Level(n + 1);
    level.add(0, n, 0);
    int[] childClass = new int[classCount + 1];
    int[] childLo = new int[classCount + 1];
    for (int depth = 0; level.size > 0; depth++) {
      nextLevel.size = 0;
      for (int k = 0; k < level.size; k++) {
        placeChildren(level.lo[k], level.hi[k], level.state[k], depth, nextLevel, childClass,
            childLo);
      }
      for (int k = 0; k < nextLevel.size; k++) {
        linkFailureAndOutput(nextLevel.lo[k], nextLevel.state[k], depth + 1);
      }
      Level swap = level;
      level = nextLevel;
      nextLevel = swap;
    }
    return finish(longest, anyBase64);
  }

  /**
   * Dense class ids, most frequent characters first so that busy nodes pack tightly. Work and
   * garbage are proportional to the distinct characters, not to the 64K character space, because
   * small automata are rebuilt on every registration.
   */
  private void assignClasses() {
    char highest = 0;
    for (String text : texts) {
      for (int i = 0; i < text.length(); i++) {
        highest = (char) Math.max(highest, text.charAt(i));
      }
    }
    // Only as large as the highest character used, so that an automaton for a few ASCII secrets
    // (rebuilt at every registration) does not allocate and clear tables for all 64K characters.
    classOf = new char[Math.max(128, highest + 1)];
    int[] frequency = new int[classOf.length];
    char[] distinct = new char[64];
    int used = 0;
    for (String text : texts) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (frequency[c]++ == 0) {
          if (used == distinct.length) {
            distinct = Arrays.copyOf(distinct, used * 2);
          }
          distinct[used++] = c;
        }
      }
    }
    long[] ranked = new long[used];
    for (int i = 0; i < used; i++) {
      ranked[i] = ((long) (Integer.MAX_VALUE - frequency[distinct[i]]) << 16) | distinct[i];
    }
    Arrays.sort(ranked);
    for (int i = 0; i < used; i++) {
      classOf[(int) (ranked[i] & 0xffff)] = (char) (i + 1);
    }
    classCount = used;
  }

  /** Places the children of the node for texts[lo, hi) at {@code depth}, which is state {@code s}. */
  private void placeChildren(int lo, int hi, int s, int depth, Level nextLevel, int[] childClass,
      int[] childLo) {
    int i = lo;
    while (i < hi && texts[i].length() == depth) {
      i++;
    }
    if (i == hi) {
      return; // a leaf keeps base 0 (plus its output bit)
    }
    int count = 0;
    while (i < hi) {
      char ch = texts[i].charAt(depth);
      childClass[count] = classOf[ch];
      childLo[count] = i;
      count++;
      do {
        i++;
      } while (i < hi && texts[i].charAt(depth) == ch);
    }
    childLo[count] = hi;
    int b = findBase(childClass, count);
    base[s] |= b;
    for (int k = 0; k < count; k++) {
      int t = b + childClass[k];
      check[t] = s;
      nextFree[t] = t + 1;
      highestUsed = Math.max(highestUsed, t);
      nextLevel.add(childLo[k], childLo[k + 1], t);
    }
  }

  /**
   * A base at which every child slot is free; grows the arrays as needed. A single child takes the
   * first free slot, which keeps the array dense because most nodes are on single-child chains. A
   * node with several children tries a bounded number of free slots and otherwise goes past the
   * highest used slot, so placement stays near-linear however many nodes compete for the holes.
   */
  private int findBase(int[] classes, int count) {
    int first = classes[0];
    if (count == 1) {
      return freeSlotFrom(first + 1) - first;
    }
    int slot = freeSlotFrom(Math.max(wideSearchFrom, first + 1));
    for (int tried = 0; tried < WIDE_SEARCH_WINDOW; tried++) {
      int b = slot - first;
      boolean fits = true;
      for (int k = 1; k < count && fits; k++) {
        fits = check[b + classes[k]] == FREE;
      }
      if (fits) {
        return b;
      }
      slot = freeSlotFrom(slot + 1);
    }
    wideSearchFrom = slot; // these free slots are too crowded for wide nodes; skip them next time
    int lowest = first;
    for (int k = 1; k < count; k++) {
      lowest = Math.min(lowest, classes[k]);
    }
    int b = Math.max(1, highestUsed + 1 - lowest);
    ensureCapacity(b + classCount + 1);
    return b;
  }

  /**
   * The lowest free slot at or above {@code from}, through a union-find "next free" forest with path
   * compression, so skipping the densely filled part of the array is amortised O(1).
   */
  private int freeSlotFrom(int from) {
    ensureCapacity(from + classCount + 1);
    int root = from;
    while (nextFree[root] != root) {
      root = nextFree[root];
      ensureCapacity(root + classCount + 1);
    }
    for (int p = from; nextFree[p] != root; ) {
      int next = nextFree[p];
      nextFree[p] = root;
      p = next;
    }
    return root;
  }

  /** Computes fail[t] and the longest output ending at t (its own form or a suffix's). */
  private void linkFailureAndOutput(int lo, int t, int depth) {
    int parent = check[t];
    int c = t - (base[parent] & Automaton.BASE);
    int f = 0;
    if (parent != 0) {
      int s = fail[parent];
      while (true) {
        int u = (base[s] & Automaton.BASE) + c;
        if (check[u] == s) {
          f = u;
          break;
        }
        if (s == 0) {
          break;
        }
        s = fail[s];
      }
    }
    fail[t] = f;
    int inherited = info[f];
    int own = texts[lo].length() == depth ? (depth << 1) | (base64[lo] ? 1 : 0) : 0;
    int out = own != 0 ? own | (inherited & 1) : inherited;
    if (out != 0) {
      info[t] = out;
      base[t] |= Automaton.OUTPUT;
    }
  }

  private void ensureCapacity(int size) {
    if (size <= base.length) {
      return;
    }
    int grown = Math.max(size, base.length + (base.length >> 1));
    base = Arrays.copyOf(base, grown);
    fail = Arrays.copyOf(fail, grown);
    info = Arrays.copyOf(info, grown);
    int old = check.length;
    check = Arrays.copyOf(check, grown);
    Arrays.fill(check, old, grown, FREE);
    nextFree = Arrays.copyOf(nextFree, grown);
    for (int p = old; p < grown; p++) {
      nextFree[p] = p;
    }
  }

  private Automaton finish(int longest, boolean anyBase64) {
    int length = highestUsed + classCount + 1;
    ensureCapacity(length);
    int outputs = 0;
    for (int s = 0; s < length; s++) {
      if (info[s] != 0) {
        outputs++;
      }
    }
    int[] outputStates = new int[outputs];
    int[] outputInfo = new int[outputs];
    for (int s = 0, k = 0; s < length; s++) {
      if (info[s] != 0) {
        outputStates[k] = s;
        outputInfo[k++] = info[s];
      }
    }
    // Prefix filter: about 32 bits per form keeps the share of false candidates to a few percent;
    // at most 2^21 bits (256 KB).
    int log2 = 6;
    while (log2 < 21 && (1L << log2) < 32L * texts.length) {
      log2++;
    }
    long[] prefixBits = new long[1 << (log2 - 6)];
    int shift = 64 - log2;
    long mask = Automaton.windowMask(window);
    for (String text : texts) {
      if (text.length() < window) {
        throw new IllegalArgumentException("a form is shorter than the prefix window " + window);
      }
      long w = 0;
      for (int i = 0; i < window; i++) {
        w = (w << 16) | text.charAt(i);
      }
      int h = (int) (((w & mask) * Automaton.HASH) >>> shift);
      prefixBits[h >>> 6] |= 1L << h;
    }
    return new Automaton(classOf, Arrays.copyOf(base, length), Arrays.copyOf(check, length),
        Arrays.copyOf(fail, length), outputStates, outputInfo, longest, texts.length, anyBase64,
        window, prefixBits, shift);
  }

  /** The nodes of one trie level: the range of texts below each and its state. */
  private static final class Level {
    final int[] lo;
    final int[] hi;
    final int[] state;
    int size;

    Level(int capacity) {
      lo = new int[capacity];
      hi = new int[capacity];
      state = new int[capacity];
    }

    void add(int from, int to, int s) {
      lo[size] = from;
      hi[size] = to;
      state[size++] = s;
    }
  }
}
