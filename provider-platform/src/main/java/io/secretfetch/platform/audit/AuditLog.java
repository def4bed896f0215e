package io.secretfetch.platform.audit;

import java.util.List;

/** Read side of the store's audit trail. Safe for concurrent use. */
public interface AuditLog {

  /** Events matching {@code query}, in chain order, at most {@code query.limit()} of them. */
  List<AuditEvent> query(AuditQuery query);

  /**
   * Walks the whole chain from the first event, recomputing every MAC, and reports the first
   * event that was changed, inserted or removed. The chain's last position and MAC are also kept
   * in a head row, so removing events from the end is detected as well.
   *
   * <p>An attacker holding the database and the master key can rewrite the chain; one holding
   * the database only cannot, short of truncating events together with the head row to an earlier
   * consistent state. Export {@link #head()} to somewhere the database's writers cannot reach to
   * detect that too.
   */
  AuditVerification verify();

  /** The current end of the chain: its last seq and a hex fingerprint of its last MAC. */
  ChainHead head();

  /**
   * @param lastSeq the seq of the last event, 0 when empty
   * @param lastMacHex the last event's MAC in hex, empty when the chain is empty
   */
  record ChainHead(long lastSeq, String lastMacHex) {}
}
