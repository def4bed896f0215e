package io.secretfetch.camunda.bundle;

import io.secretfetch.platform.store.PlatformSecretStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The round trip with the platform store on a real PostgreSQL (embedded, no Docker). */
class PostgresBundleRoundTripTest extends AbstractBundleRoundTripTest {
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
  PlatformSecretStore.Builder storeOnDatabase() {
    String db = "store_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return PlatformSecretStore.builder().jdbcUrl(postgres.getJdbcUrl("postgres", db))
        .username("postgres").password("postgres");
  }
}
