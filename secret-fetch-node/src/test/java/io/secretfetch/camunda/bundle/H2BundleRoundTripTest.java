package io.secretfetch.camunda.bundle;

import io.secretfetch.platform.store.PlatformSecretStore;
import java.util.UUID;

/** The round trip with the platform store on H2. */
class H2BundleRoundTripTest extends AbstractBundleRoundTripTest {
  @Override
  PlatformSecretStore.Builder storeOnDatabase() {
    return PlatformSecretStore.builder()
        .jdbcUrl("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }
}
