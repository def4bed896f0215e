package io.secretfetch.platform.audit;

/**
 * The result of walking the audit chain.
 *
 * @param eventsChecked how many events were read
 * @param problem null when the chain is intact, else the first problem found
 */
public record AuditVerification(long eventsChecked, Problem problem) {

  /** What is wrong at a position of the chain. */
  public enum Kind {
    /** The event's content no longer matches its MAC, but the next event still chains to it. */
    CHANGED,
    /** An event that was never written through the store sits at this position. */
    INSERTED,
    /** The event that belongs at this position is gone. */
    MISSING
  }

  /**
   * @param kind what is wrong
   * @param seq the chain position (for MISSING, the seq of the event that is gone)
   * @param detail one sentence for the operator
   */
  public record Problem(Kind kind, long seq, String detail) {}

  public boolean intact() {
    return problem == null;
  }
}
