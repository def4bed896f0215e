package io.secretfetch.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL (zonky) per test JVM; each test gets a fresh database in it.
 *
 * <p>PostgreSQL refuses to run as root; when the build runs as root, zonky (2.2+) starts it in a
 * user namespace ({@code unshare -U}) by itself.
 */
public final class EmbeddedPostgresHolder {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres instance;

  private EmbeddedPostgresHolder() {}

  public static synchronized EmbeddedPostgres get() {
    if (instance == null) {
      try {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off")
            .setServerConfig("max_connections", "400");
        instance = b.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** Creates a new, empty database and returns its JDBC URL (user postgres). */
  public static String newDatabase() {
    EmbeddedPostgres pg = get();
    String name = "sf_test_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

}
