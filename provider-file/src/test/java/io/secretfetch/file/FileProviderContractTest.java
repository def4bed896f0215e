package io.secretfetch.file;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.SecretProviderContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract over real files, with one directory per tenant. Files keep no history,
 * so {@link #plantVersion} stays null and the version tests are {@link FileSecretProviderTest}'s.
 */
class FileProviderContractTest extends SecretProviderContract {
  @TempDir Path root;

  @Override
  protected SecretProvider provider() {
    try (SecretResolver noBootstrap = SecretResolver.builder().build()) {
      return new FileSecretProviderFactory()
          .create(
              new ProviderConfig(
                  "file", "file",
                  Map.of("root", root.toString(), "tenant-directories", "true", "max-size", "1024")),
              noBootstrap);
    }
  }

  @Override
  protected SecretRef plant(String name, String value) throws Exception {
    Mounts.write(root.resolve("default"), name, value);
    return SecretRef.of("file", name);
  }

  @Override
  protected boolean supportsTenants() {
    return true;
  }

  @Override
  protected SecretRef plantForTenant(String tenantId, String name, String value) throws Exception {
    Mounts.write(root.resolve(tenantId), name, value);
    return SecretRef.of("file", name);
  }

  @Override
  protected Map<SecretError, Provoker> provokers() {
    return Map.of(
        SecretError.ACCESS_DENIED,
        p -> {
          String name = name("open");
          Mounts.write(root.resolve("default"), name, secretValue(), "rw-r--r--");
          return SecretRef.of("file", name);
        },
        SecretError.VERSION_NOT_FOUND,
        p -> plant(name("pinned"), secretValue()).withVersion("0000000000000000"),
        SecretError.INVALID_REFERENCE,
        p -> SecretRef.of("file", "../outside"),
        SecretError.MALFORMED_VALUE,
        p -> plant(name("big"), secretValue() + "x".repeat(2048)));
  }
}
