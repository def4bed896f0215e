package io.secretfetch.api.mask.internal;

/**
 * An immutable snapshot of everything registered: one automaton per tier of the registry (one once
 * registration has settled, a few of geometrically decreasing size while secrets arrive one by one;
 * see {@link SecretRegistry}). {@link #matchesAnywhere} reads the text once for all tiers.
 */
public final class CompiledSecrets {

  private static final Automaton[] NONE = new Automaton[0];

  private final Automaton[] tiers;
  /** The prefix window shared by all tiers: min(4, minimum length). */
  private final int window;
  private final boolean tokenSensitive;
  /** Characters matched after which the registry merges the tiers into one (see there). */
  private final long consolidateAfter;
  /**
   * Characters matched against this snapshot while it has several tiers. Updated without
   * synchronisation: lost updates only delay consolidation a little.
   */
  private long matchedChars;

  CompiledSecrets(Automaton[] tiers, int window, boolean tokenSensitive, long consolidateAfter) {
    this.tiers = tiers;
    this.window = window;
    this.tokenSensitive = tokenSensitive;
    this.consolidateAfter = consolidateAfter;
  }

  /** The snapshot with nothing registered. */
  public static CompiledSecrets empty(int window) {
    return new CompiledSecrets(NONE, window, false, Long.MAX_VALUE);
  }

  boolean wantsConsolidation() {
    return matchedChars > consolidateAfter;
  }

  /** Whether any form occurs in {@code text}; allocates nothing. */
  public boolean matchesAnywhere(String text) {
    final Automaton[] all = tiers;
    if (all.length == 1) {
      return all[0].matchesAnywhere(text);
    }
    if (all.length == 0) {
      return false;
    }
    matchedChars += text.length();
    // One pass for all tiers: the window's hash is computed once and looked up in each tier's filter.
    final int q = window;
    final long mask = Automaton.windowMask(q);
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
      long product = (w & mask) * Automaton.HASH;
      for (Automaton tier : all) {
        if (tier.mayStart(product) && tier.matchesAt(text, i - q + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Scans {@code buf[from, to)}, continuing from and updating {@code states} (one per tier, see
   * {@link #newStates()}), and adds the hits to {@code hits}.
   */
  public void scan(char[] buf, int from, int to, int[] states, HitList hits) {
    final Automaton[] all = tiers;
    if (all.length > 1) {
      matchedChars += to - from;
    }
    for (int k = 0; k < all.length; k++) {
      states[k] = all[k].scan(buf, from, to, states[k], hits);
    }
  }

  public int[] newStates() {
    return new int[tiers.length];
  }

  /** The most characters that a hit still to come could reach back into; see {@link Automaton}. */
  public int pendingLength(int[] states) {
    int pending = 0;
    for (int k = 0; k < tiers.length; k++) {
      pending = Math.max(pending, tiers[k].pendingLength(states[k]));
    }
    return pending;
  }

  /** True when some form contains a character of the mask token, so masking may need a second pass. */
  public boolean tokenSensitive() {
    return tokenSensitive;
  }

  public boolean hasBase64Forms() {
    for (Automaton tier : tiers) {
      if (tier.hasBase64Forms()) {
        return true;
      }
    }
    return false;
  }

  public int longestForm() {
    int longest = 0;
    for (Automaton tier : tiers) {
      longest = Math.max(longest, tier.longestForm());
    }
    return longest;
  }

  public boolean isEmpty() {
    return tiers.length == 0;
  }

  public int formCount() {
    int count = 0;
    for (Automaton tier : tiers) {
      count += tier.formCount();
    }
    return count;
  }

  /** The number of automata a text is matched against (1 once registration has settled). */
  public int tierCount() {
    return tiers.length;
  }

  public long retainedBytes() {
    long bytes = 0;
    for (Automaton tier : tiers) {
      bytes += tier.retainedBytes();
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "CompiledSecrets[tiers=" + tiers.length + ", forms=" + formCount() + "]";
  }
}
