package io.secretfetch.api.mask.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registered secrets and their compiled automata, safe for concurrent registration and matching.
 *
 * <p>Registration only queues the value; the next reader compiles everything queued in one batch and
 * publishes an immutable {@link CompiledSecrets} through a volatile field (copy-on-write). New values
 * go into a small "recent" automaton; once that holds more than a quarter of the secrets (at least
 * {@value #MIN_RECENT}), everything is merged into the main one. Values registered in a row cost one
 * build; a registration followed at once by a scan rebuilds only the recent automaton, so it costs
 * time proportional to at most a quarter of the registered set, never a rebuild of all of it.
 */
public final class SecretRegistry {

  static final int MIN_RECENT = 64;

  private final int minLength;
  private final String token;
  private final Object lock = new Object();
  private final Set<String> registered = new HashSet<>();
  private final List<String> mainValues = new ArrayList<>();
  private final List<String> recentValues = new ArrayList<>();
  private final List<String> queued = new ArrayList<>();
  private Automaton main = Automaton.EMPTY;
  private volatile boolean dirty;
  private volatile CompiledSecrets compiled = CompiledSecrets.EMPTY;

  public SecretRegistry(int minLength, String token) {
    this.minLength = minLength;
    this.token = token;
  }

  /** Queues {@code secret}; every {@link #current()} that starts after this returns includes it. */
  public void add(String secret) {
    synchronized (lock) {
      if (registered.add(secret)) {
        queued.add(secret);
        dirty = true;
      }
    }
  }

  /** The compiled snapshot including every value added so far. */
  public CompiledSecrets current() {
    if (dirty) {
      compile();
    }
    return compiled;
  }

  public int size() {
    synchronized (lock) {
      return registered.size();
    }
  }

  private void compile() {
    synchronized (lock) {
      if (!dirty) {
        return;
      }
      Automaton recent;
      if (recentValues.size() + queued.size() <= Math.max(MIN_RECENT, mainValues.size() / 4)) {
        recentValues.addAll(queued);
        recent = build(recentValues);
      } else {
        mainValues.addAll(recentValues);
        mainValues.addAll(queued);
        recentValues.clear();
        main = build(mainValues);
        recent = Automaton.EMPTY;
      }
      queued.clear();
      boolean tokenSensitive = main.usesAnyOf(token) || recent.usesAnyOf(token);
      compiled = new CompiledSecrets(main, recent, tokenSensitive);
      dirty = false;
    }
  }

  private Automaton build(List<String> values) {
    Map<String, Boolean> forms = new HashMap<>(values.size() * 16);
    for (String value : values) {
      DerivedForms.addTo(forms, value, minLength);
    }
    return AutomatonBuilder.build(forms);
  }
}
