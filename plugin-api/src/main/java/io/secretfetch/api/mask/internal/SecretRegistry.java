package io.secretfetch.api.mask.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered secrets and their compiled automata, safe for concurrent registration and matching.
 *
 * <p>Registration only queues the value; the next reader compiles everything queued in one batch and
 * publishes an immutable {@link CompiledSecrets} through a volatile field (copy-on-write).
 *
 * <p><b>Tiers.</b> The secrets are split into a few immutable automata ("tiers") of geometrically
 * decreasing size, like a binary counter: a batch of new secrets becomes a new smallest tier, which
 * first absorbs every smaller-or-comparable tier before it ({@value #MERGE_RATIO} times its size or
 * less). So a secret is rebuilt O(log n) times in all, and n registrations each followed by a mask
 * call cost O(n log n) instead of O(n^2), with O(log n) tiers. Merging reuses the forms kept with
 * each tier (a linear merge of sorted arrays); only the automaton is rebuilt. Secrets registered in a
 * row are one batch and one build.
 *
 * <p><b>Consolidation.</b> Several tiers cost matching time, one lookup per tier and character. Once
 * the characters matched against a multi-tier snapshot reach {@value #CONSOLIDATE_FACTOR} times the
 * size of all its forms (so the time lost to the extra tiers is of the order of a full rebuild), the
 * next reader merges every tier into one. A registry that stops growing thus ends with one automaton,
 * and the total rebuild work stays proportional to the matching work plus O(n log n).
 */
public final class SecretRegistry {

  static final int MERGE_RATIO = 1;
  static final int CONSOLIDATE_FACTOR = 16;

  private final int minLength;
  private final int window;
  private final String token;
  private final Object lock = new Object();
  /** Values matched in free text; concurrent so that {@link #isWhole} reads without the lock. */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  /**
   * Values below the free-text minimum, matched only as a whole ({@link #isWhole}); never compiled
   * into forms. Kept as strings like the long values above, so a heap dump holds no more than it did.
   */
  private final Set<String> wholeOnly = ConcurrentHashMap.newKeySet();
  /** Largest first; parallel to the automata of the published snapshot. */
  private final List<FormSet> tierForms = new ArrayList<>();
  private final List<Automaton> tierAutomata = new ArrayList<>();
  private final List<String> queued = new ArrayList<>();
  private volatile boolean dirty;
  private volatile CompiledSecrets compiled;

  public SecretRegistry(int minLength, String token) {
    this.minLength = minLength;
    this.token = token;
    this.window = Math.min(Automaton.MAX_WINDOW, minLength);
    this.compiled = CompiledSecrets.empty(window);
  }

  /**
   * Queues {@code secret}, returning whether it was new; every {@link #current()} that starts after
   * this returns includes it.
   */
  public boolean add(String secret) {
    synchronized (lock) {
      if (registered.add(secret)) {
        queued.add(secret);
        dirty = true;
        return true;
      }
      return false;
    }
  }

  /**
   * Remembers {@code secret}, shorter than the free-text minimum, to be matched only as a whole.
   *
   * @return whether it was new
   */
  public boolean addWholeOnly(String secret) {
    return wholeOnly.add(secret);
  }

  /** Whether {@code text} is exactly a registered value, long or short. Lock-free. */
  public boolean isWhole(String text) {
    return registered.contains(text) || wholeOnly.contains(text);
  }

  /** The compiled snapshot including every value added so far. */
  public CompiledSecrets current() {
    CompiledSecrets current = compiled;
    if (dirty || current.wantsConsolidation()) {
      compile();
      current = compiled;
    }
    return current;
  }

  public int size() {
    return registered.size();
  }

  /** The number of values matched only as a whole. */
  public int wholeOnlySize() {
    return wholeOnly.size();
  }

  private void compile() {
    synchronized (lock) {
      boolean consolidate = compiled.wantsConsolidation() && tierForms.size() > 1;
      if (!dirty && !consolidate) {
        return;
      }
      if (!queued.isEmpty()) {
        FormSet fresh = FormSet.of(queued, minLength);
        queued.clear();
        while (!tierForms.isEmpty()
            && last(tierForms).secrets <= MERGE_RATIO * (long) fresh.secrets) {
          fresh = FormSet.merge(removeLast(tierForms), fresh);
          removeLast(tierAutomata);
        }
        if (consolidate) {
          fresh = mergeAll(fresh);
        }
        tierForms.add(fresh);
        tierAutomata.add(fresh.build(window));
      } else if (consolidate) {
        FormSet all = mergeAll(FormSet.EMPTY);
        tierForms.add(all);
        tierAutomata.add(all.build(window));
      }
      boolean tokenSensitive = false;
      long formChars = 0;
      for (int i = 0; i < tierAutomata.size(); i++) {
        tokenSensitive |= tierAutomata.get(i).usesAnyOf(token);
        formChars += tierForms.get(i).totalChars;
      }
      long consolidateAfter =
          tierAutomata.size() > 1 ? CONSOLIDATE_FACTOR * formChars : Long.MAX_VALUE;
      compiled = new CompiledSecrets(tierAutomata.toArray(new Automaton[0]), window,
          tokenSensitive, consolidateAfter);
      dirty = false;
    }
  }

  /** Removes every tier and returns the union of their forms and {@code extra}. */
  private FormSet mergeAll(FormSet extra) {
    FormSet all = extra;
    while (!tierForms.isEmpty()) {
      all = FormSet.merge(removeLast(tierForms), all);
      removeLast(tierAutomata);
    }
    return all;
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static <T> T removeLast(List<T> list) {
    return list.remove(list.size() - 1);
  }
}
