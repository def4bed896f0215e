package io.secretfetch.api.mask.internal;

/**
 * An immutable snapshot of everything registered: one large automaton and, while registrations are
 * arriving, a small one for the most recent secrets (so a registration does not rebuild the large one).
 * Both read the same characters in the same loop over the text, so a scan is still one pass.
 */
public final class CompiledSecrets {

  public static final CompiledSecrets EMPTY =
      new CompiledSecrets(Automaton.EMPTY, Automaton.EMPTY, false);

  private final Automaton main;
  private final Automaton recent;
  private final boolean tokenSensitive;

  CompiledSecrets(Automaton main, Automaton recent, boolean tokenSensitive) {
    this.main = main;
    this.recent = recent;
    this.tokenSensitive = tokenSensitive;
  }

  /** Whether any form occurs in {@code text}; allocates nothing. */
  public boolean matchesAnywhere(String text) {
    if (recent.isEmpty()) {
      return main.matchesAnywhere(text);
    }
    return main.matchesAnywhere(text) || recent.matchesAnywhere(text);
  }

  /**
   * Scans {@code buf[from, to)}, continuing from and updating {@code states} (one per automaton, see
   * {@link #newStates()}), and adds the hits to {@code hits}.
   */
  public void scan(char[] buf, int from, int to, int[] states, HitList hits) {
    states[0] = main.scan(buf, from, to, states[0], hits);
    if (!recent.isEmpty()) {
      states[1] = recent.scan(buf, from, to, states[1], hits);
    }
  }

  public int[] newStates() {
    return new int[2];
  }

  /** The most characters that a hit still to come could reach back into; see {@link Automaton}. */
  public int pendingLength(int[] states) {
    return Math.max(main.pendingLength(states[0]), recent.pendingLength(states[1]));
  }

  /** True when some form contains a character of the mask token, so masking may need a second pass. */
  public boolean tokenSensitive() {
    return tokenSensitive;
  }

  public boolean hasBase64Forms() {
    return main.hasBase64Forms() || recent.hasBase64Forms();
  }

  public int longestForm() {
    return Math.max(main.longestForm(), recent.longestForm());
  }

  public boolean isEmpty() {
    return main.isEmpty() && recent.isEmpty();
  }

  public int formCount() {
    return main.formCount() + recent.formCount();
  }

  public long retainedBytes() {
    return main.retainedBytes() + (recent == Automaton.EMPTY ? 0 : recent.retainedBytes());
  }

  @Override
  public String toString() {
    return "CompiledSecrets[main=" + main + ", recent=" + recent + "]";
  }
}
