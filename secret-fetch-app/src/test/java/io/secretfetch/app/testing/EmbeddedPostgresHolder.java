package io.secretfetch.app.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL (zonky) per test JVM; each caller gets a fresh database in it. */
public final class EmbeddedPostgresHolder {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres instance;

  private EmbeddedPostgresHolder() {}

  static synchronized EmbeddedPostgres get() {
    if (instance == null) {
      try {
        instance = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** A new, empty database's JDBC URL (user postgres in the URL). */
  public static String newDatabase() {
    EmbeddedPostgres pg = get();
    String name = "sf_app_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }
}
