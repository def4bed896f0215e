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

  private final String[] texts;
  private final boolean[] base64;
  private final char[] classOf = new char[Character.MAX_VALUE + 1];
  private int classCount;

  private int[] base;
  private int[] check;
  private int[] fail;
  private int[] info;
  private int firstFree = 1;
  private int highestUsed;

  private AutomatonBuilder(Map<String, Boolean> forms) {
    texts = forms.keySet().toArray(new String[0]);
    Arrays.sort(texts);
    base64 = new boolean[texts.length];
    for (int i = 0; i < texts.length; i++) {
      base64[i] = forms.get(texts[i]);
    }
  }

  /** Builds the automaton for {@code forms} (text to "widens over base64"). */
  public static Automaton build(Map<String, Boolean> forms) {
    if (forms.isEmpty()) {
      return Automaton.EMPTY;
    }
    return new AutomatonBuilder(forms).build();
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
    Arrays.fill(check, FREE);
    check[0] = -2;

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

  /** Dense class ids, most frequent characters first so that busy nodes pack tightly. */
  private void assignClasses() {
    int[] frequency = new int[Character.MAX_VALUE + 1];
    for (String text : texts) {
      for (int i = 0; i < text.length(); i++) {
        frequency[text.charAt(i)]++;
      }
    }
    long[] ranked = new long[Character.MAX_VALUE + 1];
    int used = 0;
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      if (frequency[c] > 0) {
        ranked[used++] = ((long) (Integer.MAX_VALUE - frequency[c]) << 16) | c;
      }
    }
    Arrays.sort(ranked, 0, used);
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
      highestUsed = Math.max(highestUsed, t);
      nextLevel.add(childLo[k], childLo[k + 1], t);
    }
    while (check[firstFree] != FREE) {
      firstFree++;
    }
  }

  /** The lowest base at which every child slot is free; grows the arrays as needed. */
  private int findBase(int[] classes, int count) {
    int first = classes[0];
    for (int slot = Math.max(firstFree, first + 1); ; slot++) {
      ensureCapacity(slot + classCount + 1);
      if (check[slot] != FREE) {
        continue;
      }
      int b = slot - first;
      boolean fits = true;
      for (int k = 1; k < count && fits; k++) {
        fits = check[b + classes[k]] == FREE;
      }
      if (fits) {
        return b;
      }
    }
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
    return new Automaton(classOf, Arrays.copyOf(base, length), Arrays.copyOf(check, length),
        Arrays.copyOf(fail, length), outputStates, outputInfo, longest, texts.length, anyBase64);
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
