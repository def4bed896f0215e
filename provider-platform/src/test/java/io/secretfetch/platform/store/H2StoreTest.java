package io.secretfetch.platform.store;

import java.nio.file.Path;

/** The store contract on an H2 file database, the embedded default. */
class H2StoreTest extends StoreContractTest {
  @Override
  String newDatabaseUrl(Path dir) {
    return PlatformSecretStore.h2FileUrl(dir.resolve("store"));
  }
}
