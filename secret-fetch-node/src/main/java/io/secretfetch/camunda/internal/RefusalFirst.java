package io.secretfetch.camunda.internal;

import io.secretfetch.camunda.SecretFetchException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;

/**
 * Brings a Secret Fetch refusal buried in an engine wrapper to the top. The engine wraps failures
 * deep inside an operation (BPMN error propagation, listeners, decisions, mappings) in a generic
 * {@code ProcessEngineException} whose message says little ("... caused by ..."); the caller
 * should read the plugin's message, which names the element and the fix. The wrapper's own text
 * and stack are kept as a suppressed {@link EngineContext}, without its cause (which would make a
 * cycle back to the refusal).
 */
final class RefusalFirst {
  private RefusalFirst() {}

  /** {@code top}, or the first SecretFetchException in its cause chain with top as context. */
  static RuntimeException promote(RuntimeException top) {
    if (top instanceof SecretFetchException || top instanceof OptimisticLockingException) {
      return top; // already the plugin's, or the engine's retry signal: keep as it is
    }
    SecretFetchException refusal = find(top);
    if (refusal == null) {
      return top;
    }
    refusal.addSuppressed(new EngineContext(top));
    return refusal;
  }

  private static SecretFetchException find(Throwable top) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = top.getCause(); t != null && seen.put(t, Boolean.TRUE) == null;
        t = t.getCause()) {
      if (t instanceof SecretFetchException sfe) {
        return sfe;
      }
    }
    return null;
  }

  /** Where the engine wrapped a refusal: the wrapper's class, message and stack, no cause. */
  static final class EngineContext extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EngineContext(Throwable wrapper) {
      super("the engine reported this as: " + wrapper, null, false, true);
      setStackTrace(wrapper.getStackTrace());
    }

    /** The wrapper's stack is set instead; capturing one here would be wasted work. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
