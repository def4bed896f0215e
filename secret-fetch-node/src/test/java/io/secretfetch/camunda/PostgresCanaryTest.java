package io.secretfetch.camunda;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The canary on a real PostgreSQL (embedded binaries, no Docker). */
class PostgresCanaryTest extends AbstractCanaryTest {
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  protected String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  protected String user() {
    return "postgres";
  }

  @Override
  protected String password() {
    return "postgres";
  }

  @Override
  protected String schema() {
    return "public";
  }

  @Override
  protected Connection connect() throws Exception {
    return postgres.getPostgresDatabase().getConnection();
  }
}
