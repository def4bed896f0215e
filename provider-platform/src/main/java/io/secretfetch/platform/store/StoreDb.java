package io.secretfetch.platform.store;

import io.secretfetch.platform.store.internal.Jdbc;
import io.secretfetch.platform.store.internal.Jdbc.SqlWork;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/** The store's database and clock: transactions whose SQL failures read as store errors. */
final class StoreDb {
  private final DataSource dataSource;
  private final Clock clock;

  StoreDb(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} in a transaction (read committed); commits, or rolls back on failure. */
  <T> T inTransaction(SqlWork<T> work) {
    return Jdbc.inTransaction(dataSource, work, StoreErrors::translate);
  }

  /** Runs read-only {@code work} on one connection, auto-commit. */
  <T> T query(SqlWork<T> work) {
    return Jdbc.query(dataSource, work);
  }

  /** Now, at the database's precision (microseconds). */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
