package io.secretfetch.platform.audit.internal;

import com.google.crypto.tink.Mac;
import io.secretfetch.api.SecretError;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditEvent;
import io.secretfetch.platform.audit.AuditLog;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.audit.AuditVerification;
import io.secretfetch.platform.audit.AuditVerification.Kind;
import io.secretfetch.platform.audit.AuditVerification.Problem;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The HMAC-chained audit trail. {@link #append} runs inside the caller's transaction: it locks the
 * head row, so events get gap-free sequence numbers in commit order, and each event's MAC covers
 * the previous event's MAC and every field of this one.
 */
public final class AuditChain implements AuditLog {
  /** The store's key name of the chain's HMAC keyset. */
  public static final String KEY_NAME = "audit-hmac";

  private static final byte[] GENESIS = "secret-fetch/audit-chain/v1".getBytes(StandardCharsets.UTF_8);
  private static final String COLUMNS =
      "seq, occurred_at, tenant, actor, action, outcome, secret_id, secret_name, version,"
          + " process_instance_id, activity_id, detail, mac";

  private final DataSource dataSource;
  private final Supplier<Mac> mac;

  /**
   * @param mac the chain's MAC; a supplier so a master-key rotation that re-wraps the key needs
   *     no new chain object
   */
  public AuditChain(DataSource dataSource, Supplier<Mac> mac) {
    this.dataSource = dataSource;
    this.mac = mac;
  }

  /** An event to append: everything but the seq and the MAC. */
  public record Entry(
      Instant occurredAt,
      String tenant,
      String actor,
      AuditAction action,
      SecretError error,
      UUID secretId,
      String secretName,
      Integer version,
      String processInstanceId,
      String activityId,
      String detail) {
    public Entry {
      occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
      tenant = tenant == null ? "" : cut(tenant, 255);
      actor = cut(actor, 255);
      secretName = cut(secretName, 255);
      processInstanceId = cut(processInstanceId, 255);
      activityId = cut(activityId, 255);
      detail = cut(detail, 512);
    }

    private static String cut(String s, int max) {
      if (s == null || s.length() <= max) {
        return s;
      }
      int end = max - 1;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      return s.substring(0, end) + "…";
    }
  }

  /** Appends events in the caller's transaction; returns the seq of the last one. */
  public long append(Connection c, List<Entry> entries) throws SQLException {
    long seq;
    byte[] prev;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT last_seq, last_mac FROM sf_audit_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the audit head row is missing; the schema was changed by hand");
      }
      seq = rs.getLong(1);
      prev = rs.getBytes(2);
    }
    if (prev == null) {
      prev = GENESIS;
    }
    Mac m = mac.get();
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO sf_audit_event (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (Entry e : entries) {
        seq++;
        byte[] tag = computeMac(m, prev, seq, e);
        int i = 1;
        ins.setLong(i++, seq);
        ins.setObject(i++, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
        ins.setString(i++, e.tenant());
        ins.setString(i++, e.actor());
        ins.setString(i++, e.action().name());
        ins.setString(i++, outcome(e.error()));
        ins.setObject(i++, e.secretId());
        ins.setString(i++, e.secretName());
        if (e.version() == null) {
          ins.setNull(i++, Types.INTEGER);
        } else {
          ins.setInt(i++, e.version());
        }
        ins.setString(i++, e.processInstanceId());
        ins.setString(i++, e.activityId());
        ins.setString(i++, e.detail());
        ins.setBytes(i, tag);
        ins.addBatch();
        prev = tag;
      }
      ins.executeBatch();
    }
    try (PreparedStatement up =
        c.prepareStatement("UPDATE sf_audit_head SET last_seq = ?, last_mac = ? WHERE id = 1")) {
      up.setLong(1, seq);
      up.setBytes(2, prev);
      up.executeUpdate();
    }
    return seq;
  }

  @Override
  public List<AuditEvent> query(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sf_audit_event WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(q.afterSeq());
    if (!q.isAllTenants()) {
      sql.append(" AND tenant = ?");
      args.add(q.tenantId() == null ? "" : q.tenantId());
    }
    if (q.secretName() != null) {
      sql.append(" AND secret_name = ?");
      args.add(q.secretName());
    }
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(q.actor());
    }
    if (q.action() != null) {
      sql.append(" AND action = ?");
      args.add(q.action().name());
    }
    if (q.from() != null) {
      sql.append(" AND occurred_at >= ?");
      args.add(OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
    }
    if (q.to() != null) {
      sql.append(" AND occurred_at < ?");
      args.add(OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
    }
    sql.append(" ORDER BY seq LIMIT ?");
    args.add(q.limit());
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs).event());
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("the audit log could not be queried: " + e.getSQLState(), e);
    }
  }

  @Override
  public ChainHead head() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT last_seq, last_mac FROM sf_audit_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      byte[] m = rs.getBytes(2);
      return new ChainHead(rs.getLong(1), m == null ? "" : HexFormat.of().formatHex(m));
    } catch (SQLException e) {
      throw new IllegalStateException("the audit head could not be read: " + e.getSQLState(), e);
    }
  }

  @Override
  public AuditVerification verify() {
    Mac m = mac.get();
    try (Connection c = dataSource.getConnection()) {
      long headSeq;
      byte[] headMac;
      try (PreparedStatement ps =
              c.prepareStatement("SELECT last_seq, last_mac FROM sf_audit_head WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        headSeq = rs.getLong(1);
        headMac = rs.getBytes(2);
      }
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false); // lets PostgreSQL stream with a fetch size
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + COLUMNS + " FROM sf_audit_event ORDER BY seq")) {
        ps.setFetchSize(500);
        try (ResultSet rs = ps.executeQuery()) {
          return walk(m, rs, headSeq, headMac);
        }
      } finally {
        c.rollback();
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the audit log could not be read: " + e.getSQLState(), e);
    }
  }

  private AuditVerification walk(Mac m, ResultSet rs, long headSeq, byte[] headMac)
      throws SQLException {
    byte[] prev = GENESIS;
    long expected = 1;
    long checked = 0;
    Row current = rs.next() ? read(rs) : null;
    while (current != null) {
      Row next = rs.next() ? read(rs) : null;
      checked++;
      if (current.seq() > expected) {
        return new AuditVerification(
            checked,
            new Problem(
                Kind.MISSING,
                expected,
                "event " + expected + " is missing: the chain jumps from " + (expected - 1)
                    + " to " + current.seq()));
      }
      if (!verifies(m, prev, current.seq(), current)) {
        return new AuditVerification(checked, classify(m, prev, current, next, headSeq));
      }
      prev = current.mac();
      expected = current.seq() + 1;
      current = next;
    }
    long last = expected - 1;
    if (last < headSeq) {
      return new AuditVerification(
          checked,
          new Problem(
              Kind.MISSING,
              last + 1,
              "events " + (last + 1) + " to " + headSeq + " are missing from the end of the chain"));
    }
    byte[] expectedHead = headMac == null ? GENESIS : headMac;
    if (!java.security.MessageDigest.isEqual(expectedHead, prev)) {
      return new AuditVerification(
          checked,
          new Problem(Kind.CHANGED, last, "the chain head does not match event " + last));
    }
    return new AuditVerification(checked, null);
  }

  private Problem classify(Mac m, byte[] prev, Row current, Row next, long headSeq) {
    long seq = current.seq();
    if (next != null) {
      if (verifies(m, current.mac(), next.seq(), next)) {
        return new Problem(
            Kind.CHANGED, seq, "event " + seq + " was changed after it was written");
      }
      if (verifies(m, prev, next.seq() - 1, next)) {
        return new Problem(
            Kind.INSERTED,
            seq,
            "event " + seq + " was inserted; the events after it were renumbered");
      }
      if (verifies(m, current.mac(), next.seq() + 1, next)) {
        return new Problem(
            Kind.MISSING,
            seq,
            "the event before event " + seq + " (as now numbered) is missing; the events after"
                + " it were renumbered");
      }
      return new Problem(
          Kind.CHANGED, seq, "event " + seq + " does not follow from event " + (seq - 1));
    }
    if (seq > headSeq) {
      return new Problem(
          Kind.INSERTED, seq, "event " + seq + " was appended outside the store (head is "
              + headSeq + ")");
    }
    return new Problem(Kind.CHANGED, seq, "event " + seq + " was changed after it was written");
  }

  private static boolean verifies(Mac m, byte[] prev, long seq, Row row) {
    try {
      m.verifyMac(row.mac(), macInput(prev, seq, row.entry()));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] computeMac(Mac m, byte[] prev, long seq, Entry e) {
    try {
      return m.computeMac(macInput(prev, seq, e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("the audit MAC could not be computed", ex);
    }
  }

  /** Canonical, unambiguous bytes: every field length-prefixed, nulls marked. */
  static byte[] macInput(byte[] prev, long seq, Entry e) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeInt(prev.length);
      out.write(prev);
      out.writeLong(seq);
      out.writeLong(e.occurredAt().getEpochSecond());
      out.writeInt(e.occurredAt().getNano());
      str(out, e.tenant());
      str(out, e.actor());
      str(out, e.action().name());
      str(out, outcome(e.error()));
      str(out, e.secretId() == null ? null : e.secretId().toString());
      str(out, e.secretName());
      str(out, e.version() == null ? null : e.version().toString());
      str(out, e.processInstanceId());
      str(out, e.activityId());
      str(out, e.detail());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return buf.toByteArray();
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String outcome(SecretError error) {
    return error == null ? "SUCCESS" : error.name();
  }

  private record Row(long seq, Entry entry, byte[] mac) {
    AuditEvent event() {
      Entry e = entry;
      return new AuditEvent(
          seq,
          e.occurredAt(),
          e.tenant().isEmpty() ? null : e.tenant(),
          e.actor(),
          e.action(),
          e.error(),
          e.secretId(),
          e.secretName(),
          e.version(),
          e.processInstanceId(),
          e.activityId(),
          e.detail());
    }
  }

  private static Row read(ResultSet rs) throws SQLException {
    long seq = rs.getLong(1);
    Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
    String outcome = rs.getString(6);
    AuditAction action;
    SecretError error;
    try {
      action = AuditAction.valueOf(rs.getString(5));
      error = "SUCCESS".equals(outcome) ? null : SecretError.valueOf(outcome);
    } catch (IllegalArgumentException e) {
      // A tampered row: keep walking, the MAC check will flag it.
      action = AuditAction.CREATE;
      error = SecretError.CONFIGURATION;
    }
    int version = rs.getInt(9);
    Integer v = rs.wasNull() ? null : version;
    Entry entry =
        new Entry(
            at,
            rs.getString(3),
            rs.getString(4),
            action,
            error,
            rs.getObject(7, UUID.class),
            rs.getString(8),
            v,
            rs.getString(10),
            rs.getString(11),
            rs.getString(12));
    return new Row(seq, entry, rs.getBytes(13));
  }
}
