package io.secretfetch.platform.store.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Transactions and read-only queries on the store's database, with one way to report failure. */
public final class Jdbc {
  private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

  /** Work on one connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private Jdbc() {}

  /**
   * Runs {@code work} in a transaction: commits, or rolls back on any failure. An SQLException
   * thrown by the work goes through {@code translate} (e.g. a unique violation to {@code
   * CONFLICT}); one from the connection itself becomes {@link #unavailable}.
   */
  public static <T> T inTransaction(
      DataSource dataSource, SqlWork<T> work, Function<SQLException, SecretException> translate) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        if (e instanceof SQLException sql) {
          throw translate.apply(sql);
        }
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** Runs read-only {@code work} on one connection, auto-commit. */
  public static <T> T query(DataSource dataSource, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** The database failed: PROVIDER_UNAVAILABLE naming the SQLState, logged without statements. */
  public static SecretException unavailable(SQLException e) {
    log.warn("The platform store database failed: SQLState {}, error code {}", e.getSQLState(),
        e.getErrorCode());
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, null,
        "the store's database failed (SQLState " + e.getSQLState() + ")",
        "Check that the database is reachable and healthy, then retry", e);
  }

  /** Whether {@code e} or a cause is a unique-constraint violation (SQLState 23505, H2 and PostgreSQL). */
  public static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** An instant as the store's {@code TIMESTAMP WITH TIME ZONE} columns take it (UTC), or null. */
  public static OffsetDateTime odt(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, or null. */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
