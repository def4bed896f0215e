package io.secretfetch.app.cli;

import io.secretfetch.platform.testing.EmbeddedPostgresHolder;
import io.secretfetch.platform.crypto.MasterKey;
import java.nio.file.Path;

/** The CLI on PostgreSQL (embedded, no Docker) with a master key file. */
class PostgresCliTest extends CliContractTest {
  @Override
  String[] storeArgs(Path dir) throws Exception {
    Path key = dir.resolve("master-key.json");
    MasterKey.generate().writeTo(key);
    return new String[] {"--jdbc-url", EmbeddedPostgresHolder.newDatabase(),
        "--master-key-file", key.toString()};
  }
}
