package io.secretfetch.benchmarks.platform;

import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.store.MasterKeyRotation;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.ReencryptResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key rotation over 1,000 tenants x 100 secrets on the embedded default (H2 file database), two
 * ways, in one run:
 *
 * <ul>
 *   <li>{@code rotateMasterKey}: the store's master-key rotation, which re-wraps the 1,000 tenant
 *       keysets (one transaction each) and touches no value;
 *   <li>{@code reencryptEveryValue}: what a store without envelope keys must do (the approach of
 *       seed 002): re-encrypt all 100,000 values under a new key, here through the store's own
 *       tenant-key rotation and batch re-encryption (1,000 values per transaction): the strongest
 *       form of the baseline;
 *   <li>{@code reencryptEveryValueOneByOne}: the same, one value per transaction, as the seed's
 *       file-per-secret store rewrites each secret on its own.
 * </ul>
 *
 * The data set is written once per trial with batched inserts ({@link
 * PlatformSecretStore#createAll}, one transaction per tenant).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
@State(Scope.Benchmark)
public class MasterKeyRotationBenchmark {
  static final int TENANTS = 1000;
  static final int SECRETS_PER_TENANT = 100;

  private Path dir;
  private PlatformSecretStore store;
  private MasterKey master;
  private List<SecretContext> tenants;

  @Setup
  public void setUp() {
    dir = StoreFixture.tempDir("sf-rotation-bench");
    master = MasterKey.generate();
    store = PlatformSecretStore.builder()
        .jdbcUrl(PlatformSecretStore.h2FileUrl(dir.resolve("store")))
        .masterKey(master)
        .build();
    tenants = new ArrayList<>(TENANTS);
    for (int t = 0; t < TENANTS; t++) {
      SecretContext ctx = new SecretContext("tenant-" + t, "loader", null, null);
      tenants.add(ctx);
      List<NewSecret> batch = new ArrayList<>(SECRETS_PER_TENANT);
      for (int s = 0; s < SECRETS_PER_TENANT; s++) {
        batch.add(NewSecret.builder("app/secret-" + s)
            .value("value-" + t + "-" + s + "-padding-to-forty-bytes-0123").build());
      }
      store.createAll(ctx, batch);
    }
  }

  @TearDown
  public void tearDown() {
    store.close();
    StoreFixture.delete(dir);
  }

  @Benchmark
  public int rotateMasterKey() {
    MasterKey next = master.withNewPrimaryKey();
    MasterKeyRotation r = store.rotateMasterKey(next);
    // Drop keys nothing uses any more, as an operator would after the rotation completes.
    master = next.retainOnly(store.masterKeyIdsInUse());
    if (r.tenantsRewrapped() != TENANTS) {
      throw new IllegalStateException("re-wrapped " + r.tenantsRewrapped() + " tenants");
    }
    return r.tenantsRewrapped();
  }

  @Benchmark
  public int reencryptEveryValue() {
    int total = 0;
    for (SecretContext ctx : tenants) {
      store.rotateTenantKey(ctx);
      ReencryptResult r = store.reencrypt(ctx, 1000);
      total += r.versionsReencrypted();
    }
    if (total != TENANTS * SECRETS_PER_TENANT) {
      throw new IllegalStateException("re-encrypted " + total + " values");
    }
    return total;
  }

  @Benchmark
  public int reencryptEveryValueOneByOne() {
    int total = 0;
    for (SecretContext ctx : tenants) {
      store.rotateTenantKey(ctx);
      total += store.reencrypt(ctx, 1).versionsReencrypted();
    }
    if (total != TENANTS * SECRETS_PER_TENANT) {
      throw new IllegalStateException("re-encrypted " + total + " values");
    }
    return total;
  }
}
