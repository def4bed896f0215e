package io.secretfetch.api.mask.internal;

import io.secretfetch.api.mask.SecretMasker;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The maskers one output sink (a Logback context, java.util.logging) masks with, in the order they
 * were added; text is masked by each in turn. Several engines in one JVM each add their resolver's
 * masker; adding the same masker again only counts it, so a masker leaves when it has been removed
 * as often as it was added.
 *
 * <p>Maskers are held weakly: an engine that is dropped without being closed leaves no masker (and
 * no registered secret) behind. A masker stays in the chain for as long as its resolver is
 * reachable, which is as long as anything can hand out its secrets.
 *
 * <p>Reads ({@link #maskers()}, {@link #mask}) take no lock; changes are serialised.
 */
public final class MaskerChain {

  private static final Entry[] NONE = new Entry[0];

  private volatile Entry[] entries = NONE;

  /** Adds {@code masker}, or counts it once more. Returns true if it was not in the chain. */
  public synchronized boolean add(SecretMasker masker) {
    Objects.requireNonNull(masker, "masker must not be null");
    List<Entry> next = live();
    for (Entry e : next) {
      if (e.ref.get() == masker) {
        e.count++;
        entries = next.toArray(NONE);
        return false;
      }
    }
    next.add(new Entry(masker));
    entries = next.toArray(NONE);
    return true;
  }

  /**
   * Removes one count of {@code masker}. Returns true if the chain holds no live masker afterwards.
   */
  public synchronized boolean remove(SecretMasker masker) {
    List<Entry> next = live();
    next.removeIf(e -> e.ref.get() == masker && --e.count == 0);
    entries = next.toArray(NONE);
    return next.isEmpty();
  }

  /** Whether {@code masker} is in the chain. */
  public boolean contains(SecretMasker masker) {
    for (Entry e : entries) {
      if (e.ref.get() == masker) {
        return true;
      }
    }
    return false;
  }

  /** The live maskers, in the order they were added (a fresh array; the hot path is cheap). */
  public SecretMasker[] maskers() {
    Entry[] current = entries;
    List<SecretMasker> out = new ArrayList<>(current.length);
    for (Entry e : current) {
      SecretMasker m = e.ref.get();
      if (m != null) {
        out.add(m);
      }
    }
    return out.toArray(new SecretMasker[0]);
  }

  /** {@code text} masked by every live masker in turn; the same instance if none changes it. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Entry e : entries) {
      SecretMasker m = e.ref.get();
      if (m != null) {
        out = m.mask(out);
      }
    }
    return out;
  }

  private List<Entry> live() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.ref.get() != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static final class Entry {
    final WeakReference<SecretMasker> ref;
    int count = 1;

    Entry(SecretMasker masker) {
      this.ref = new WeakReference<>(masker);
    }
  }
}
