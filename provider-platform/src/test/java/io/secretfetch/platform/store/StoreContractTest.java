package io.secretfetch.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.api.manifest.BindingsProfile;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.ManifestValidator;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.SlotUsage;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.kit.MutableClock;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.AuditEvent;
import io.secretfetch.platform.audit.AuditQuery;
import io.secretfetch.platform.audit.AuditVerification;
import io.secretfetch.platform.bindings.Bindings;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.testing.CountingDataSource;
import io.secretfetch.platform.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's behaviour, run against every supported database by the subclasses. Each test gets
 * a fresh database.
 */
abstract class StoreContractTest {
  static final SecretContext ALICE = new SecretContext(null, "alice", "pi-1", "task-1");
  static final SecretContext ACME = new SecretContext("acme", "bob", null, null);
  static final SecretContext GLOBEX = new SecretContext("globex", "carol", null, null);

  @TempDir Path tmp;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  String jdbcUrl;
  HikariDataSource pool;
  CountingDataSource dataSource;
  MasterKey master;
  PlatformSecretStore store;

  /** A JDBC URL of a new, empty database. */
  abstract String newDatabaseUrl(Path dir);

  @BeforeEach
  void openStore() {
    jdbcUrl = newDatabaseUrl(tmp);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    cfg.setMaximumPoolSize(12);
    cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    pool = new HikariDataSource(cfg);
    dataSource = new CountingDataSource(pool);
    master = MasterKey.generate();
    store = open(master);
  }

  @AfterEach
  void closeStore() {
    store.close();
    pool.close();
  }

  PlatformSecretStore open(MasterKey key) {
    return PlatformSecretStore.builder().dataSource(dataSource).masterKey(key).clock(clock).build();
  }

  static NewSecret secret(String name, String value) {
    return NewSecret.builder(name).value(value).build();
  }

  static String read(PlatformSecretStore s, SecretContext ctx, String name) {
    try (SecretValue v = s.value(ctx, name)) {
      return v.reveal();
    }
  }

  static SecretError errorOf(Runnable r) {
    SecretException e = catchThrowableOfType(SecretException.class, r::run);
    assertThat(e).as("expected a SecretException").isNotNull();
    return e.error();
  }

  // ----------------------------------------------------------------------------- lifecycle

  @Test
  void createsReadsAndDescribesASecret() {
    WriteResult r = store.create(ALICE, NewSecret.builder("prod/db-password").value("s3cr3t-Value!")
        .description("the main database").owner("team-payments").category(SecretCategory.CREDENTIAL)
        .tag("env", "prod").tag("team", "payments").build());

    assertThat(r.version()).isEqualTo(1);
    assertThat(r.generatedValue()).isEmpty();
    try (SecretValue v = store.value(ALICE, "prod/db-password")) {
      assertThat(v.reveal()).isEqualTo("s3cr3t-Value!");
      assertThat(v.version()).isEqualTo("1");
      assertThat(v.toString()).doesNotContain("s3cr3t");
    }
    SecretInfo info = store.metadata(ALICE, "prod/db-password");
    assertThat(info.description()).isEqualTo("the main database");
    assertThat(info.owner()).isEqualTo("team-payments");
    assertThat(info.category()).isEqualTo(SecretCategory.CREDENTIAL);
    assertThat(info.tags()).containsExactly(Map.entry("env", "prod"), Map.entry("team", "payments"));
    assertThat(info.activeVersion()).isEqualTo(1);
    assertThat(info.createdBy()).isEqualTo("alice");
    assertThat(info.createdAt()).isEqualTo(clock.instant());
    assertThat(info.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aNameIsUniquePerTenantAndTenantsAreIsolated() {
    store.create(ACME, secret("api-key", "acme-value"));
    store.create(GLOBEX, secret("api-key", "globex-value"));

    assertThat(read(store, ACME, "api-key")).isEqualTo("acme-value");
    assertThat(read(store, GLOBEX, "api-key")).isEqualTo("globex-value");
    assertThat(errorOf(() -> store.value(ALICE, "api-key"))).isEqualTo(SecretError.NOT_FOUND);
    SecretException dup = catchThrowableOfType(SecretException.class,
        () -> store.create(ACME, secret("api-key", "again")));
    assertThat(dup.error()).isEqualTo(SecretError.CONFLICT);
    assertThat(dup.getMessage()).contains("api-key").doesNotContain("again");
    assertThat(store.list(GLOBEX, SecretQuery.all()).items()).extracting(SecretInfo::name)
        .containsExactly("api-key");
  }

  @Test
  void generatesARandomValueAndReturnsItOnce() {
    WriteResult r = store.create(ALICE, NewSecret.builder("generated")
        .generate(GeneratedValue.of(40, GeneratedValue.Alphabet.HEX)).build());

    String generated;
    try (SecretValue v = r.generatedValue().orElseThrow()) {
      generated = v.reveal();
    }
    assertThat(generated).hasSize(40).matches("[0-9a-f]{40}");
    assertThat(read(store, ALICE, "generated")).isEqualTo(generated);
    assertThat(r.toString()).doesNotContain(generated);

    WriteResult rotated = store.rotate(ALICE, "generated",
        Rotation.builder().generate(GeneratedValue.alphanumeric(32)).build());
    String second = rotated.generatedValue().orElseThrow().reveal();
    assertThat(second).hasSize(32).matches("[A-Za-z0-9]{32}").isNotEqualTo(generated);
    assertThat(read(store, ALICE, "generated")).isEqualTo(second);
  }

  @Test
  void generatedValueSpecificationsAreChecked() {
    assertThat(errorOf(() -> GeneratedValue.of(4, GeneratedValue.Alphabet.ALPHANUMERIC)))
        .isEqualTo(SecretError.INVALID_INPUT);
    SecretException weak = catchThrowableOfType(SecretException.class,
        () -> GeneratedValue.custom(20, "01"));
    assertThat(weak.getMessage()).contains("64").contains("at least 64 characters");
    assertThat(errorOf(() -> GeneratedValue.custom(20, "aab"))).isEqualTo(SecretError.INVALID_INPUT);
  }

  @Test
  void rotateAddsVersionsAndPinnedVersionsStayReadable() {
    store.create(ALICE, secret("token", "v1"));
    WriteResult r2 = store.rotate(ALICE, "token", Rotation.builder().value("v2").expectedVersion(1).build());
    WriteResult r3 = store.rotate(ALICE, "token", Rotation.to("v3"));

    assertThat(r2.version()).isEqualTo(2);
    assertThat(r3.version()).isEqualTo(3);
    assertThat(read(store, ALICE, "token")).isEqualTo("v3");
    try (SecretValue v1 = store.value(ALICE, "token", 1)) {
      assertThat(v1.reveal()).isEqualTo("v1");
      assertThat(v1.version()).isEqualTo("1");
    }
    assertThat(store.versions(ALICE, "token")).extracting(VersionInfo::version, VersionInfo::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, VersionState.ACTIVE),
            org.assertj.core.groups.Tuple.tuple(2, VersionState.AVAILABLE),
            org.assertj.core.groups.Tuple.tuple(1, VersionState.AVAILABLE));
    SecretException stale = catchThrowableOfType(SecretException.class, () ->
        store.rotate(ALICE, "token", Rotation.builder().value("v4").expectedVersion(2).build()));
    assertThat(stale.error()).isEqualTo(SecretError.CONFLICT);
    assertThat(stale.getMessage()).contains("expected active version 2 but it is 3");
    assertThat(errorOf(() -> store.value(ALICE, "token", 9))).isEqualTo(SecretError.VERSION_NOT_FOUND);
  }

  @Test
  void concurrentCheckAndSetRotationsNeverOverwriteSilently() throws Exception {
    store.create(ALICE, secret("contended", "v1"));
    int threads = 8;
    int rounds = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Integer> won = new ConcurrentLinkedQueue<>();
    AtomicInteger conflicts = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < rounds; i++) {
            int seen = store.metadata(ALICE, "contended").activeVersion();
            try {
              WriteResult r = store.rotate(ALICE, "contended", Rotation.builder()
                  .value("t" + thread + "-" + i).expectedVersion(seen).build());
              won.add(r.version());
            } catch (SecretException e) {
              if (e.error() == SecretError.CONFLICT) {
                conflicts.incrementAndGet();
              } else {
                unexpected.add(e);
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(unexpected).isEmpty();
    assertThat(won.size() + conflicts.get()).isEqualTo(threads * rounds);
    assertThat(new TreeSet<>(won)).hasSize(won.size()); // every success got its own version
    List<Integer> expected = new ArrayList<>();
    for (int v = 2; v <= won.size() + 1; v++) {
      expected.add(v);
    }
    assertThat(new TreeSet<>(won)).containsExactlyElementsOf(expected); // gap-free
    List<VersionInfo> versions = store.versions(ALICE, "contended");
    assertThat(versions).hasSize(won.size() + 1);
    assertThat(versions).filteredOn(v -> v.state() == VersionState.ACTIVE).hasSize(1)
        .first().extracting(VersionInfo::version).isEqualTo(won.size() + 1);
    List<AuditEvent> rotations = new ArrayList<>();
    AuditQuery q = AuditQuery.forTenant(null).secret("contended").action(AuditAction.ROTATE).limit(1000);
    for (List<AuditEvent> page = store.audit().query(q); !page.isEmpty();
        page = store.audit().query(q.afterSeq(page.get(page.size() - 1).seq()))) {
      rotations.addAll(page);
    }
    assertThat(rotations.stream().filter(AuditEvent::succeeded).count()).isEqualTo(won.size());
    assertThat(rotations.stream().filter(e -> e.error() == SecretError.CONFLICT).count())
        .isEqualTo(conflicts.get());
    assertThat(store.audit().verify().intact()).isTrue();
  }

  // ----------------------------------------------------------------------------- expiry and errors

  @Test
  void anExpiredSecretFailsWithExpiredKeepsItsMetadataAndARotateRevivesIt() {
    store.create(ALICE, NewSecret.builder("temp").value("short-lived")
        .expiresAt(clock.instant().plus(Duration.ofHours(1))).build());
    assertThat(read(store, ALICE, "temp")).isEqualTo("short-lived");

    clock.advance(Duration.ofHours(2));
    SecretException expired = catchThrowableOfType(SecretException.class,
        () -> store.value(ALICE, "temp"));
    assertThat(expired.error()).isEqualTo(SecretError.EXPIRED);
    assertThat(expired.getMessage()).contains("temp").doesNotContain("short-lived");
    assertThat(store.metadata(ALICE, "temp").expiredAt(clock.instant())).isTrue();

    store.rotate(ALICE, "temp", Rotation.builder().value("renewed")
        .expiresAt(clock.instant().plus(Duration.ofDays(30))).build());
    assertThat(read(store, ALICE, "temp")).isEqualTo("renewed");
  }

  @Test
  void notFoundExpiredAndDecryptionFailureAreDistinct() throws SQLException {
    store.create(ALICE, NewSecret.builder("expiring").value("x1")
        .expiresAt(clock.instant().plusSeconds(10)).build());
    store.create(ALICE, secret("tampered", "x2"));
    clock.advance(Duration.ofMinutes(1));
    flipCiphertextByte("tampered", 1);

    assertThat(errorOf(() -> store.value(ALICE, "missing"))).isEqualTo(SecretError.NOT_FOUND);
    assertThat(errorOf(() -> store.value(ALICE, "expiring"))).isEqualTo(SecretError.EXPIRED);
    SecretException failed = catchThrowableOfType(SecretException.class,
        () -> store.value(ALICE, "tampered"));
    assertThat(failed.error()).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(failed.detail()).isNull();
    assertThat(failed.getCause()).isNull();
    assertThat(failed.getMessage()).isEqualTo("[DECRYPTION_FAILED] secret 'platform:tampered':"
        + " decryption_failed. Remedy: " + SecretError.DECRYPTION_FAILED.defaultRemedy());
  }

  @Test
  void aCiphertextMovedToAnotherSecretOrTenantDoesNotDecrypt() throws SQLException {
    store.create(ALICE, secret("source", "moved-value"));
    store.create(ALICE, secret("same-tenant", "other"));
    store.create(ACME, secret("other-tenant", "other"));
    store.rotate(ALICE, "source", Rotation.to("moved-value-2"));

    copyCiphertext("source", null, 1, "same-tenant", null, 1);
    copyCiphertext("source", null, 1, "other-tenant", "acme", 1);
    copyCiphertext("source", null, 1, "source", null, 2); // another version of the same secret

    assertThat(errorOf(() -> store.value(ALICE, "same-tenant"))).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(errorOf(() -> store.value(ACME, "other-tenant"))).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(errorOf(() -> store.value(ALICE, "source"))).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(store.audit().query(AuditQuery.forTenant(null).action(AuditAction.READ_VALUE)))
        .extracting(AuditEvent::error).contains(SecretError.DECRYPTION_FAILED);
  }

  // ----------------------------------------------------------------------------- delete, destroy, rollback

  @Test
  void softDeleteUndeleteDestroyRollbackAndPurge() {
    store.create(ALICE, secret("svc", "one"));
    store.rotate(ALICE, "svc", Rotation.to("two"));
    store.rotate(ALICE, "svc", Rotation.to("three"));

    store.delete(ALICE, "svc");
    assertThat(errorOf(() -> store.value(ALICE, "svc"))).isEqualTo(SecretError.DELETED);
    assertThat(errorOf(() -> store.rotate(ALICE, "svc", Rotation.to("x")))).isEqualTo(SecretError.DELETED);
    assertThat(store.list(ALICE, SecretQuery.all()).items()).isEmpty();
    assertThat(store.list(ALICE, SecretQuery.all().includeDeleted(true)).items()).hasSize(1);
    assertThat(errorOf(() -> store.create(ALICE, secret("svc", "new")))).isEqualTo(SecretError.CONFLICT);
    store.undelete(ALICE, "svc");
    assertThat(read(store, ALICE, "svc")).isEqualTo("three");

    VersionInfo destroyed = store.destroyVersion(ALICE, "svc", 2);
    assertThat(destroyed.state()).isEqualTo(VersionState.DESTROYED);
    assertThat(errorOf(() -> store.value(ALICE, "svc", 2))).isEqualTo(SecretError.DELETED);
    assertThat(errorOf(() -> store.rollback(ALICE, "svc", 2, null))).isEqualTo(SecretError.DELETED);

    SecretInfo rolledBack = store.rollback(ALICE, "svc", 1, 3);
    assertThat(rolledBack.activeVersion()).isEqualTo(1);
    assertThat(read(store, ALICE, "svc")).isEqualTo("one");
    assertThat(errorOf(() -> store.rollback(ALICE, "svc", 3, 3))).isEqualTo(SecretError.CONFLICT);
    WriteResult next = store.rotate(ALICE, "svc", Rotation.to("four"));
    assertThat(next.version()).isEqualTo(4);

    store.destroyVersion(ALICE, "svc", 4);
    assertThat(errorOf(() -> store.value(ALICE, "svc"))).isEqualTo(SecretError.DELETED);

    assertThat(errorOf(() -> store.purge(ALICE, "svc"))).isEqualTo(SecretError.CONFLICT);
    store.delete(ALICE, "svc");
    store.purge(ALICE, "svc");
    assertThat(errorOf(() -> store.metadata(ALICE, "svc"))).isEqualTo(SecretError.NOT_FOUND);
    store.create(ALICE, secret("svc", "reborn"));
    assertThat(read(store, ALICE, "svc")).isEqualTo("reborn");
  }

  @Test
  void updatesMetadataAndListsWithFiltersAndPaging() {
    for (int i = 0; i < 7; i++) {
      store.create(ALICE, NewSecret.builder("app/key-" + i).value("v" + i)
          .category(i % 2 == 0 ? SecretCategory.API_KEY : SecretCategory.TOKEN)
          .tag("env", i < 3 ? "prod" : "dev").build());
    }
    store.create(ALICE, secret("other/x", "y"));
    store.create(ALICE, secret("app_z", "y")); // '_' must not act as a LIKE wildcard

    SecretInfo updated = store.updateMetadata(ALICE, "app/key-6", MetadataUpdate.builder()
        .description("rotated by ops").owner("ops").category(SecretCategory.CREDENTIAL)
        .tags(Map.of("env", "prod", "tier", "1")).build());
    assertThat(updated.tags()).containsEntry("tier", "1").containsEntry("env", "prod");
    assertThat(store.metadata(ALICE, "app/key-6").description()).isEqualTo("rotated by ops");

    List<String> all = new ArrayList<>();
    SecretQuery q = SecretQuery.all().prefix("app/").pageSize(3);
    int pages = 0;
    while (true) {
      Page<SecretInfo> page = store.list(ALICE, q);
      pages++;
      page.items().forEach(s -> all.add(s.name()));
      if (!page.hasNext()) {
        break;
      }
      q = q.pageToken(page.nextPageToken());
    }
    assertThat(pages).isEqualTo(3);
    assertThat(all).containsExactly("app/key-0", "app/key-1", "app/key-2", "app/key-3",
        "app/key-4", "app/key-5", "app/key-6");
    assertThat(store.list(ALICE, SecretQuery.all().tag("env", "prod")).items())
        .extracting(SecretInfo::name).containsExactly("app/key-0", "app/key-1", "app/key-2", "app/key-6");
    assertThat(store.list(ALICE, SecretQuery.all().tag("tier")).items())
        .extracting(SecretInfo::name).containsExactly("app/key-6");
    assertThat(store.list(ALICE, SecretQuery.all().category(SecretCategory.TOKEN)).items())
        .extracting(SecretInfo::name).containsExactly("app/key-1", "app/key-3", "app/key-5");
    assertThat(store.list(ALICE, SecretQuery.all().prefix("app_")).items())
        .extracting(SecretInfo::name).containsExactly("app_z");
  }

  @Test
  void limitsFailWithInvalidInputNamingFieldLimitAndFix() {
    SecretException longName = catchThrowableOfType(SecretException.class,
        () -> store.create(ALICE, secret("a".repeat(256), "v")));
    assertThat(longName.error()).isEqualTo(SecretError.INVALID_INPUT);
    assertThat(longName.getMessage()).contains("name is 256 characters long; the limit is 255")
        .contains("Remedy: Shorten the name");
    SecretException badChar = catchThrowableOfType(SecretException.class,
        () -> store.create(ALICE, secret("has space", "v")));
    assertThat(badChar.getMessage()).contains("U+0020").contains("position 3");
    assertThat(errorOf(() -> store.create(ALICE, secret("a//b", "v")))).isEqualTo(SecretError.INVALID_INPUT);
    assertThat(errorOf(() -> store.create(ALICE, secret("../etc", "v")))).isEqualTo(SecretError.INVALID_INPUT);

    byte[] big = new byte[StoreLimits.MAX_VALUE_BYTES + 1];
    SecretException tooBig = catchThrowableOfType(SecretException.class,
        () -> store.create(ALICE, NewSecret.builder("big").value(big).build()));
    assertThat(tooBig.getMessage()).contains("value is 65537 bytes; the limit is 65536 bytes (64 KiB)");
    store.create(ALICE, NewSecret.builder("exactly-64k").value(new byte[StoreLimits.MAX_VALUE_BYTES]).build());

    NewSecret.Builder tagged = NewSecret.builder("tagged").value("v");
    for (int i = 0; i <= StoreLimits.MAX_TAGS; i++) {
      tagged.tag("k" + i, "v");
    }
    SecretException tags = catchThrowableOfType(SecretException.class, () -> store.create(ALICE, tagged.build()));
    assertThat(tags.getMessage()).contains("secret has 51 tags; the limit is 50");
    assertThat(errorOf(() -> store.create(ALICE, NewSecret.builder("past").value("v")
        .expiresAt(clock.instant().minusSeconds(1)).build()))).isEqualTo(SecretError.INVALID_INPUT);
    assertThat(errorOf(() -> store.create(ALICE, secret("empty", "")))).isEqualTo(SecretError.INVALID_INPUT);
  }

  @Test
  void createAllIsAllOrNothing() {
    store.create(ALICE, secret("taken", "v"));
    assertThat(errorOf(() -> store.createAll(ALICE, List.of(secret("fresh-1", "a"),
        secret("taken", "b"))))).isEqualTo(SecretError.CONFLICT);
    assertThat(errorOf(() -> store.metadata(ALICE, "fresh-1"))).isEqualTo(SecretError.NOT_FOUND);
    List<WriteResult> created = store.createAll(ALICE, List.of(secret("fresh-1", "a"), secret("fresh-2", "b")));
    assertThat(created).hasSize(2);
    assertThat(read(store, ALICE, "fresh-2")).isEqualTo("b");
  }

  @Test
  void aBatchOfCreatesAndRotationsIsOneTransaction() throws SQLException {
    Snapshot before = arrangeForMixedBatch();

    // The last rotation's check-and-set loses after the creates and the first rotation ran.
    SecretException lost = catchThrowableOfType(SecretException.class, () -> store.write(ALICE,
        mixedBatch(1)));
    assertThat(lost.error()).isEqualTo(SecretError.CONFLICT);
    assertThat(lost.ref()).isEqualTo(SecretRef.parse("platform:contested"));

    assertThat(snapshot()).isEqualTo(before.plusFailures(1));
    assertThat(store.audit().query(AuditQuery.forTenant(null).afterSeq(before.lastSeq())))
        .singleElement().satisfies(e -> {
          assertThat(e.action()).isEqualTo(AuditAction.ROTATE);
          assertThat(e.secretName()).isEqualTo("contested");
          assertThat(e.error()).isEqualTo(SecretError.CONFLICT);
        });
    assertThat(errorOf(() -> store.metadata(ALICE, "fresh-literal"))).isEqualTo(SecretError.NOT_FOUND);
    assertThat(errorOf(() -> store.metadata(ALICE, "fresh-generated"))).isEqualTo(SecretError.NOT_FOUND);
    assertThat(read(store, ALICE, "rotated")).isEqualTo("r1");

    long mark = snapshot().lastSeq();
    List<WriteResult> results = store.write(ALICE, mixedBatch(2));
    assertThat(results).extracting(r -> r.secret().name(), WriteResult::version).containsExactly(
        tuple("fresh-literal", 1),
        tuple("rotated", 2),
        tuple("fresh-generated", 1),
        tuple("contested", 3));
    assertThat(results).extracting(r -> r.generatedValue().isPresent())
        .containsExactly(false, true, true, false);
    try (SecretValue rotated = results.get(1).generatedValue().orElseThrow();
        SecretValue fresh = results.get(2).generatedValue().orElseThrow()) {
      assertThat(read(store, ALICE, "rotated")).isEqualTo(rotated.reveal()).hasSize(32);
      assertThat(read(store, ALICE, "fresh-generated")).isEqualTo(fresh.reveal()).hasSize(24);
    }
    assertThat(read(store, ALICE, "fresh-literal")).isEqualTo("literal");
    assertThat(read(store, ALICE, "contested")).isEqualTo("c3");
    assertThat(store.audit().query(AuditQuery.forTenant(null).afterSeq(mark).limit(4)))
        .extracting(AuditEvent::action, AuditEvent::secretName, AuditEvent::succeeded)
        .containsExactly(
            tuple(AuditAction.CREATE, "fresh-literal", true),
            tuple(AuditAction.CREATE, "fresh-generated", true),
            tuple(AuditAction.ROTATE, "rotated", true),
            tuple(AuditAction.ROTATE, "contested", true));
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aBatchWhoseAuditEventsCannotBeWrittenWritesNothing() throws SQLException {
    Snapshot before = arrangeForMixedBatch();

    // Every insert and update of the batch runs; appending its audit events then fails.
    execute("ALTER TABLE sf_audit_event RENAME TO sf_audit_event_away");
    try {
      assertThat(errorOf(() -> store.write(ALICE, mixedBatch(2))))
          .isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
    } finally {
      execute("ALTER TABLE sf_audit_event_away RENAME TO sf_audit_event");
    }

    assertThat(snapshot()).isEqualTo(before);
    assertThat(read(store, ALICE, "contested")).isEqualTo("c2");
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aBatchIsCheckedWholeBeforeAnythingIsWritten() throws SQLException {
    store.create(ALICE, secret("rotated", "r1"));
    Snapshot before = snapshot();

    assertThat(errorOf(() -> store.write(ALICE, WriteBatch.builder()
        .create(secret("fresh", "v")).rotate("rotated", Rotation.to("x".repeat(70_000))).build())))
        .isEqualTo(SecretError.INVALID_INPUT);
    assertThat(errorOf(() -> store.write(ALICE, WriteBatch.builder()
        .create(secret("fresh", "v")).rotate("fresh", Rotation.to("w")).build())))
        .isEqualTo(SecretError.CONFLICT);
    assertThat(errorOf(() -> store.write(ALICE, WriteBatch.builder()
        .create(secret("fresh", "v")).rotate("nowhere", Rotation.to("w")).build())))
        .isEqualTo(SecretError.NOT_FOUND);

    assertThat(snapshot()).isEqualTo(before.plusFailures(3));
    assertThat(store.write(ALICE, WriteBatch.builder().build())).isEmpty();
  }

  @Test
  void bindingsApplyAProfileWholeOrNotAtAll() throws SQLException {
    store.create(ALICE, secret("app/old", "o1"));
    SecretManifest manifest = SecretManifest.of("b", List.of(
        new ManifestSlot("new-slot", "New", SecretRef.parse("platform:app/new"), List.of()),
        new ManifestSlot("old-slot", "Old", SecretRef.parse("platform:app/old"), List.of())));
    Bindings bindings = Bindings.of(store);
    Snapshot before = snapshot();

    // The new secret is fine, the rotation breaks the value limit: nothing may be written.
    try (BindingsProfile tooLarge = profile("{\"bindings\": {\"new-slot\": {\"secret\": \"n1\"},"
        + " \"old-slot\": {\"secret\": \"" + "x".repeat(StoreLimits.MAX_VALUE_BYTES + 1) + "\"}}}")) {
      assertThat(errorOf(() -> bindings.apply(manifest, tooLarge, ALICE)))
          .isEqualTo(SecretError.INVALID_INPUT);
    }
    assertThat(snapshot()).isEqualTo(before.plusFailures(1));

    try (BindingsProfile good = profile("{\"bindings\": {\"new-slot\": {\"secret\": \"n1\"},"
        + " \"old-slot\": {\"secret\": {\"generate\": {\"length\": 32}}}}}")) {
      assertThat(bindings.apply(manifest, good, ALICE).applied())
          .extracting(Bindings.Applied::slot, Bindings.Applied::version, Bindings.Applied::created)
          .containsExactly(tuple("new-slot", 1, true),
              tuple("old-slot", 2, false));
    }
    assertThat(read(store, ALICE, "app/new")).isEqualTo("n1");
    assertThat(read(store, ALICE, "app/old")).hasSize(32);
  }

  private static BindingsProfile profile(String json) {
    return BindingsProfile.parse(json.getBytes(StandardCharsets.UTF_8), "profile.json");
  }

  /** {@code rotated} at version 1 and {@code contested} at version 2; the state before a batch. */
  private Snapshot arrangeForMixedBatch() throws SQLException {
    store.create(ALICE, secret("rotated", "r1"));
    store.create(ALICE, secret("contested", "c1"));
    store.rotate(ALICE, "contested", Rotation.to("c2"));
    return snapshot();
  }

  /** Creates {@code fresh-literal} and {@code fresh-generated}, rotates {@code rotated} and,
   * with a check-and-set against {@code expected}, {@code contested}. */
  private static WriteBatch mixedBatch(int expected) {
    return WriteBatch.builder()
        .create(secret("fresh-literal", "literal"))
        .rotate("rotated", Rotation.builder().generate(GeneratedValue.alphanumeric(32)).build())
        .create(NewSecret.builder("fresh-generated")
            .generate(GeneratedValue.of(24, GeneratedValue.Alphabet.HEX)).build())
        .rotate("contested", Rotation.builder().value("c3").expectedVersion(expected).build())
        .build();
  }

  /** Row counts of the secret tables, each secret's active and latest version, the audit tail. */
  record Snapshot(long secrets, long versions, long tags, Map<String, String> pointers,
      long auditEvents, long lastSeq) {
    Snapshot plusFailures(int n) {
      return new Snapshot(secrets, versions, tags, pointers, auditEvents + n, lastSeq + n);
    }
  }

  Snapshot snapshot() throws SQLException {
    Map<String, String> pointers = new java.util.TreeMap<>();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT tenant, name, active_version, latest_version FROM sf_secret")) {
        while (rs.next()) {
          pointers.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3) + "/" + rs.getInt(4));
        }
      }
      return new Snapshot(count(s, "sf_secret"), count(s, "sf_secret_version"),
          count(s, "sf_secret_tag"), pointers, count(s, "sf_audit_event"),
          count(s, "sf_audit_event") == 0 ? 0 : single(s, "SELECT MAX(seq) FROM sf_audit_event"));
    }
  }

  private static long count(Statement s, String table) throws SQLException {
    return single(s, "SELECT COUNT(*) FROM " + table);
  }

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void anAccessPolicyRefusalIsDeniedAndAudited() {
    store.create(ALICE, secret("guarded", "v"));
    PlatformSecretStore guarded = PlatformSecretStore.builder().dataSource(dataSource).masterKey(master)
        .clock(clock).accessPolicy((ctx, op, name) -> op != StoreOperation.READ_VALUE
            || "alice".equals(ctx.actor()))
        .build();
    assertThat(read(guarded, ALICE, "guarded")).isEqualTo("v");
    assertThat(errorOf(() -> guarded.value(ALICE.withActor("mallory"), "guarded")))
        .isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(guarded.audit().query(AuditQuery.forTenant(null).actor("mallory")))
        .singleElement().satisfies(e -> {
          assertThat(e.action()).isEqualTo(AuditAction.READ_VALUE);
          assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
          assertThat(e.secretName()).isEqualTo("guarded");
        });
  }

  // ----------------------------------------------------------------------------- audit

  @Test
  void everyOperationAndFailedAttemptIsAuditedAndQueryable() {
    Instant t0 = clock.instant();
    store.create(ALICE, secret("audited", "v1"));
    clock.advance(Duration.ofMinutes(1));
    read(store, ALICE, "audited");
    store.rotate(ALICE, "audited", Rotation.to("v2"));
    store.updateMetadata(ALICE, "audited", MetadataUpdate.builder().owner("ops").build());
    store.rollback(ALICE, "audited", 1, null);
    store.destroyVersion(ALICE, "audited", 2);
    store.delete(ALICE, "audited");
    store.undelete(ALICE, "audited");
    clock.advance(Duration.ofMinutes(1));
    errorOf(() -> store.value(ALICE.withActor("eve"), "nope"));
    store.rotateTenantKey(ALICE);

    List<AuditEvent> events = store.audit().query(AuditQuery.forTenant(null).secret("audited"));
    assertThat(events).extracting(AuditEvent::action).containsExactly(AuditAction.CREATE,
        AuditAction.READ_VALUE, AuditAction.ROTATE, AuditAction.UPDATE_METADATA, AuditAction.ROLLBACK,
        AuditAction.DESTROY_VERSION, AuditAction.DELETE, AuditAction.UNDELETE);
    AuditEvent readEvent = events.get(1);
    assertThat(readEvent.actor()).isEqualTo("alice");
    assertThat(readEvent.processInstanceId()).isEqualTo("pi-1");
    assertThat(readEvent.activityId()).isEqualTo("task-1");
    assertThat(readEvent.version()).isEqualTo(1);
    assertThat(readEvent.secretId()).isEqualTo(store.metadata(ALICE, "audited").id());
    assertThat(readEvent.occurredAt()).isEqualTo(t0.plus(Duration.ofMinutes(1)));

    assertThat(store.audit().query(AuditQuery.forTenant(null).actor("eve"))).singleElement()
        .satisfies(e -> {
          assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
          assertThat(e.outcome()).isEqualTo("NOT_FOUND");
          assertThat(e.secretName()).isEqualTo("nope");
        });
    assertThat(store.audit().query(AuditQuery.forTenant(null).action(AuditAction.ROTATE_TENANT_KEY)))
        .hasSize(1);
    assertThat(store.audit().query(AuditQuery.forTenant(null)
        .between(t0.plus(Duration.ofSeconds(30)), t0.plus(Duration.ofSeconds(90)))))
        .extracting(AuditEvent::action).containsExactly(AuditAction.READ_VALUE, AuditAction.ROTATE,
            AuditAction.UPDATE_METADATA, AuditAction.ROLLBACK, AuditAction.DESTROY_VERSION,
            AuditAction.DELETE, AuditAction.UNDELETE);
    assertThat(store.audit().query(AuditQuery.forTenant("acme"))).isEmpty();
    List<AuditEvent> firstTwo = store.audit().query(AuditQuery.allTenants().limit(2));
    assertThat(store.audit().query(AuditQuery.allTenants().afterSeq(firstTwo.get(1).seq()).limit(1)))
        .singleElement().extracting(AuditEvent::seq).isEqualTo(3L);
  }

  @Test
  void aValueIsNotReturnedWhenItsReadCannotBeAudited() throws SQLException {
    store.create(ALICE, secret("fail-closed", "must-not-leak"));
    execute("ALTER TABLE sf_audit_event RENAME TO sf_audit_event_away");
    try {
      SecretException e = catchThrowableOfType(SecretException.class,
          () -> store.value(ALICE, "fail-closed"));
      assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
      assertThat(e.getMessage()).doesNotContain("must-not-leak");
    } finally {
      execute("ALTER TABLE sf_audit_event_away RENAME TO sf_audit_event");
    }
    assertThat(store.audit().query(AuditQuery.forTenant(null).action(AuditAction.READ_VALUE))).isEmpty();
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void verifyFindsTheFirstChangedEvent() throws SQLException {
    auditSomeEvents();
    assertThat(store.audit().verify()).satisfies(v -> {
      assertThat(v.intact()).isTrue();
      assertThat(v.eventsChecked()).isEqualTo(6);
    });
    execute("UPDATE sf_audit_event SET actor = 'someone-else' WHERE seq = 3");
    execute("UPDATE sf_audit_event SET actor = 'someone-else' WHERE seq = 5");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.CHANGED);
    assertThat(v.problem().seq()).isEqualTo(3);
  }

  @Test
  void verifyFindsAMissingEvent() throws SQLException {
    auditSomeEvents();
    execute("DELETE FROM sf_audit_event WHERE seq = 4");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.MISSING);
    assertThat(v.problem().seq()).isEqualTo(4);
  }

  @Test
  void verifyFindsAMissingEventWhenTheRestWasRenumbered() throws SQLException {
    auditSomeEvents();
    execute("DELETE FROM sf_audit_event WHERE seq = 3");
    execute("UPDATE sf_audit_event SET seq = seq + 1000 WHERE seq > 3");
    execute("UPDATE sf_audit_event SET seq = seq - 1001 WHERE seq > 1000");
    execute("UPDATE sf_audit_head SET last_seq = last_seq - 1");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.MISSING);
    assertThat(v.problem().seq()).isEqualTo(3);
  }

  @Test
  void verifyFindsTruncatedTail() throws SQLException {
    auditSomeEvents();
    execute("DELETE FROM sf_audit_event WHERE seq >= 5");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.MISSING);
    assertThat(v.problem().seq()).isEqualTo(5);
  }

  @Test
  void verifyFindsAnInsertedEvent() throws SQLException {
    auditSomeEvents();
    // Make room at seq 3 and copy event 2 there with another actor, as a forger would.
    execute("UPDATE sf_audit_event SET seq = seq + 1000 WHERE seq >= 3");
    execute("UPDATE sf_audit_event SET seq = seq - 999 WHERE seq > 1000");
    execute("INSERT INTO sf_audit_event (seq, occurred_at, tenant, actor, action, outcome, secret_id,"
        + " secret_name, version, process_instance_id, activity_id, detail, mac) SELECT 3,"
        + " occurred_at, tenant, 'forger', action, outcome, secret_id, secret_name, version,"
        + " process_instance_id, activity_id, detail, mac FROM sf_audit_event WHERE seq = 2");
    execute("UPDATE sf_audit_head SET last_seq = last_seq + 1");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.INSERTED);
    assertThat(v.problem().seq()).isEqualTo(3);
  }

  @Test
  void verifyFindsAnEventAppendedOutsideTheStore() throws SQLException {
    auditSomeEvents();
    execute("INSERT INTO sf_audit_event (seq, occurred_at, tenant, actor, action, outcome, secret_id,"
        + " secret_name, version, process_instance_id, activity_id, detail, mac) SELECT 7,"
        + " occurred_at, tenant, 'forger', action, outcome, secret_id, secret_name, version,"
        + " process_instance_id, activity_id, detail, mac FROM sf_audit_event WHERE seq = 6");
    AuditVerification v = store.audit().verify();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.INSERTED);
    assertThat(v.problem().seq()).isEqualTo(7);
  }

  private void auditSomeEvents() {
    store.create(ALICE, secret("chained", "c1"));     // 1
    read(store, ALICE, "chained");                     // 2
    store.rotate(ALICE, "chained", Rotation.to("c2")); // 3
    read(store, ALICE, "chained");                     // 4
    errorOf(() -> store.value(ALICE, "absent"));       // 5
    store.delete(ALICE, "chained");                    // 6
  }

  // ----------------------------------------------------------------------------- keys

  @Test
  void aWrongMasterKeyFailsAtOpenWithAClearMessage() {
    store.create(ACME, secret("k", "v"));
    MasterKey wrong = MasterKey.generate();
    SecretException e = catchThrowableOfType(SecretException.class, () -> open(wrong));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("the master key does not match this store")
        .contains(Integer.toUnsignedString(master.primaryKeyId()))
        .contains("Open the store with the master key");
  }

  @Test
  void masterKeyRotationRewrapsTenantsAndSurvivesAFailureHalfway() {
    List<String> tenants = List.of("t1", "t2", "t3", "t4", "t5");
    for (String t : tenants) {
      store.create(SecretContext.forTenant(t), secret("s", "value-of-" + t));
    }
    store.create(ALICE, secret("s", "value-of-default"));
    MasterKey next = master.withNewPrimaryKey();

    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> store.rotateMasterKey(next, (tenant, done, total) -> {
      if (calls.incrementAndGet() == 3) {
        throw new IllegalStateException("injected failure after 3 tenants");
      }
    })).hasMessageContaining("injected failure");
    assertThat(store.masterKeyIdsInUse()).containsExactlyInAnyOrder(master.primaryKeyId(), next.primaryKeyId());

    // The old key alone no longer opens the store, and says why; the new keyset opens everything.
    assertThat(errorOf(() -> open(master))).isEqualTo(SecretError.CONFIGURATION);
    try (PlatformSecretStore reopened = open(next)) {
      for (String t : tenants) {
        assertThat(read(reopened, SecretContext.forTenant(t), "s")).isEqualTo("value-of-" + t);
      }
      assertThat(read(reopened, ALICE, "s")).isEqualTo("value-of-default");

      MasterKeyRotation done = reopened.rotateMasterKey(next);
      assertThat(done.tenantsRewrapped()).isEqualTo(3);
      assertThat(done.tenantsAlreadyCurrent()).isEqualTo(3);
      assertThat(reopened.masterKeyIdsInUse()).containsExactly(next.primaryKeyId());
      assertThat(reopened.audit().verify().intact()).isTrue();
    }
    MasterKey pruned = next.retainOnly(Set.of(next.primaryKeyId()));
    assertThat(pruned.keyIds()).containsExactly(next.primaryKeyId());
    try (PlatformSecretStore reopened = open(pruned)) {
      assertThat(read(reopened, SecretContext.forTenant("t4"), "s")).isEqualTo("value-of-t4");
      assertThat(reopened.audit().verify().intact()).isTrue();
    }
  }

  @Test
  void masterKeyRotationRefusesAKeysetWithoutTheKeysInUse() {
    store.create(ALICE, secret("s", "v"));
    SecretException e = catchThrowableOfType(SecretException.class,
        () -> store.rotateMasterKey(MasterKey.generate()));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("withNewPrimaryKey");
    assertThat(read(store, ALICE, "s")).isEqualTo("v");
  }

  @Test
  void tenantKeyRotationKeepsOldVersionsReadableAndReencryptRetiresTheOldKey() throws SQLException {
    store.create(ACME, secret("a", "a1"));
    store.create(ACME, secret("b", "b1"));
    store.create(GLOBEX, secret("g", "g1"));
    int newKey = store.rotateTenantKey(ACME);
    store.rotate(ACME, "a", Rotation.to("a2"));

    assertThat(distinctKeyIds("acme")).hasSize(2).contains(Integer.toUnsignedLong(newKey));
    try (SecretValue a1 = store.value(ACME, "a", 1)) {
      assertThat(a1.reveal()).isEqualTo("a1");
    }
    ReencryptResult r = store.reencrypt(ACME, 1);
    assertThat(r.versionsReencrypted()).isEqualTo(2);
    assertThat(r.keysRetired()).isEqualTo(1);
    assertThat(distinctKeyIds("acme")).containsExactly(Integer.toUnsignedLong(newKey));
    try (SecretValue a1 = store.value(ACME, "a", 1)) {
      assertThat(a1.reveal()).isEqualTo("a1");
    }
    assertThat(read(store, ACME, "a")).isEqualTo("a2");
    assertThat(read(store, ACME, "b")).isEqualTo("b1");
    assertThat(read(store, GLOBEX, "g")).isEqualTo("g1");
    assertThat(store.reencrypt(ACME, 10)).isEqualTo(new ReencryptResult(0, 0));
  }

  // ----------------------------------------------------------------------------- no plaintext anywhere

  @Test
  void noPlaintextInAnyColumnOfAnyTableOrInTheLogsAfterAFullLifecycle() throws SQLException {
    String canary1 = "canary-" + UUID.randomUUID();
    String canary2 = "canary-" + UUID.randomUUID();
    String canary3 = "canary-" + UUID.randomUUID();
    List<String> values = new ArrayList<>(List.of(canary1, canary2, canary3));
    try (LogCapture logs = new LogCapture()) {
      store.create(ALICE, NewSecret.builder("lifecycle").value(canary1).tag("env", "test").build());
      store.create(ACME, NewSecret.builder("json").value("{\"password\":\"" + canary2 + "\"}").build());
      read(store, ALICE, "lifecycle");
      store.rotate(ALICE, "lifecycle", Rotation.builder().value(canary3).expectedVersion(1).build());
      errorOf(() -> store.rotate(ALICE, "lifecycle", Rotation.builder().value(canary1).expectedVersion(1).build()));
      WriteResult generated = store.rotate(ACME, "json", Rotation.builder()
          .generate(GeneratedValue.alphanumeric(48)).build());
      values.add(generated.generatedValue().orElseThrow().reveal());
      store.value(ACME, "json", 1).close();
      store.updateMetadata(ALICE, "lifecycle", MetadataUpdate.builder().owner("ops").build());
      store.rollback(ALICE, "lifecycle", 1, null);
      store.rotateTenantKey(ALICE);
      store.reencrypt(ALICE, 10);
      store.rotateMasterKey(master.withNewPrimaryKey());
      flipCiphertextByte("json", 2);
      errorOf(() -> store.value(ACME, "json"));
      store.destroyVersion(ALICE, "lifecycle", 2);
      store.delete(ALICE, "lifecycle");
      store.undelete(ALICE, "lifecycle");
      new PlatformSecretProvider("platform", store, false).fetch(SecretRef.parse("platform:lifecycle"), ALICE).close();

      String logText = logs.text();
      for (String v : values) {
        assertThat(logText).doesNotContain(v);
      }
    }

    List<byte[]> needles = new ArrayList<>();
    List<String> textNeedles = new ArrayList<>();
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      needles.add(b);
      textNeedles.add(v);
      textNeedles.add(Base64.getEncoder().encodeToString(b));
      textNeedles.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
      textNeedles.add(HexFormat.of().formatHex(b));
      textNeedles.add(HexFormat.of().withUpperCase().formatHex(b));
    }
    int cellsScanned = 0;
    try (Connection c = pool.getConnection()) {
      List<String> tables = new ArrayList<>();
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          if (schema != null && (schema.equalsIgnoreCase("information_schema")
              || schema.equalsIgnoreCase("pg_catalog"))) {
            continue;
          }
          tables.add((schema == null ? "" : "\"" + schema + "\".") + "\"" + rs.getString("TABLE_NAME") + "\"");
        }
      }
      assertThat(tables).hasSizeGreaterThanOrEqualTo(7);
      for (String table : tables) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              cellsScanned++;
              int type = rs.getMetaData().getColumnType(i);
              boolean binary = type == java.sql.Types.BINARY || type == java.sql.Types.VARBINARY
                  || type == java.sql.Types.LONGVARBINARY || type == java.sql.Types.BLOB;
              byte[] raw = binary ? rs.getBytes(i) : null;
              String text = binary ? null : rs.getString(i);
              if (raw != null) {
                // Binary columns also checked as text forms of their bytes.
                text = new String(raw, StandardCharsets.ISO_8859_1);
              }
              for (byte[] n : needles) {
                assertThat(raw == null ? -1 : indexOf(raw, n))
                    .as("plaintext bytes in %s column %d", table, i).isEqualTo(-1);
              }
              for (String n : textNeedles) {
                if (text != null) {
                  assertThat(text).as("plaintext form in %s column %d", table, i).doesNotContain(n);
                }
              }
            }
          }
        }
      }
    }
    assertThat(cellsScanned).isGreaterThan(100);
  }

  // ----------------------------------------------------------------------------- provider

  @Test
  void providerChecksAnyNumberOfReferencesWithOneQuery() {
    store.create(ALICE, secret("ok", "v"));
    store.rotate(ALICE, "ok", Rotation.to("v2"));
    store.create(ALICE, NewSecret.builder("expired").value("v").expiresAt(clock.instant().plusSeconds(5)).build());
    store.create(ALICE, secret("deleted", "v"));
    store.delete(ALICE, "deleted");
    store.create(ALICE, secret("destroyed", "v"));
    store.rotate(ALICE, "destroyed", Rotation.to("v2"));
    store.destroyVersion(ALICE, "destroyed", 1);
    clock.advance(Duration.ofMinutes(1));
    PlatformSecretProvider provider = new PlatformSecretProvider("platform", store, false);

    List<SecretRef> refs = new ArrayList<>(List.of(
        SecretRef.parse("platform:ok"), SecretRef.parse("platform:ok@1"),
        SecretRef.parse("platform:ok@7"), SecretRef.parse("platform:ok@x"),
        SecretRef.parse("platform:missing"), SecretRef.parse("platform:expired"),
        SecretRef.parse("platform:deleted"), SecretRef.parse("platform:destroyed@1"),
        SecretRef.parse("platform:destroyed")));
    dataSource.reset();
    Map<SecretRef, SecretCheck> result = provider.check(refs, ALICE);
    assertThat(dataSource.statements()).isEqualTo(1);
    assertThat(result.values()).extracting(SecretCheck::error).containsExactly(
        null, null, SecretError.VERSION_NOT_FOUND, SecretError.VERSION_NOT_FOUND,
        SecretError.NOT_FOUND, SecretError.EXPIRED, SecretError.DELETED, SecretError.DELETED, null);
    assertThat(result.get(SecretRef.parse("platform:missing")).problem().ref())
        .isEqualTo(SecretRef.parse("platform:missing"));

    // A bundle of 10,000 refs: still one statement (names and versions as SQL arrays).
    for (int i = 0; i < 10_000; i++) {
      refs.add(SecretRef.parse("platform:bulk-" + i));
    }
    dataSource.reset();
    assertThat(provider.check(refs, ALICE)).hasSize(refs.size());
    assertThat(dataSource.statements()).isEqualTo(1);
    assertThat(store.audit().query(AuditQuery.forTenant(null).action(AuditAction.READ_VALUE))).isEmpty();
  }

  @Test
  void aManifestOfTenThousandSlotsValidatesWithOneStatement() {
    // The scenario of benchmarks' ManifestValidationBenchmark: half the refs exist.
    List<NewSecret> present = new ArrayList<>();
    List<ManifestSlot> slots = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String name = String.format("bundle/secret-%05d", i);
      if (i % 2 == 0) {
        present.add(secret(name, "v" + i));
      }
      slots.add(new ManifestSlot(String.format("slot-%05d", i), null,
          SecretRef.parse("platform:" + name), List.of(new SlotUsage("flow.bpmn", "task-" + i))));
    }
    store.createAll(ALICE, present);
    SecretManifest manifest = SecretManifest.of("large", slots);
    try (SecretResolver resolver = SecretResolver.builder()
        .provider(new PlatformSecretProvider("platform", store, false)).build()) {
      dataSource.reset();
      ValidationReport report = ManifestValidator.validate(manifest, resolver, ALICE);

      assertThat(dataSource.statements()).isEqualTo(1);
      assertThat(report.problems()).hasSize(5_000)
          .allSatisfy(p -> assertThat(p.code()).isEqualTo(SecretError.NOT_FOUND));
      assertThat(report.problems()).extracting(ValidationProblem::slot).first()
          .isEqualTo("slot-00001");
    }
  }

  @Test
  void providerFetchesPinsAndListsNamesOnly() {
    store.create(ACME, NewSecret.builder("db").value("{\"user\":\"u\",\"password\":\"p1\"}")
        .description("database").category(SecretCategory.CREDENTIAL).tag("env", "prod").build());
    store.rotate(ACME, "db", Rotation.to("{\"user\":\"u\",\"password\":\"p2\"}"));
    PlatformSecretProvider provider = new PlatformSecretProvider("plat", store, false);

    try (SecretValue v = provider.fetch(SecretRef.parse("plat:db"), ACME)) {
      assertThat(v.revealJson().get("password").asText()).isEqualTo("p2");
      assertThat(v.ref()).isEqualTo(SecretRef.parse("plat:db"));
      assertThat(v.version()).isEqualTo("2");
    }
    try (SecretValue v = provider.fetch(SecretRef.parse("plat:db@1"), ACME)) {
      assertThat(v.field("password").reveal()).isEqualTo("p1");
    }
    SecretException missing = catchThrowableOfType(SecretException.class,
        () -> provider.fetch(SecretRef.parse("plat:nope"), ACME));
    assertThat(missing.ref()).isEqualTo(SecretRef.parse("plat:nope"));
    assertThat(provider.immutable(SecretRef.parse("plat:db@1"))).isTrue();
    assertThat(provider.immutable(SecretRef.parse("plat:db"))).isFalse();

    List<SecretSummary> listed = provider.list("", ACME);
    assertThat(listed).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("db");
      assertThat(s.description()).isEqualTo("database");
      assertThat(s.attributes()).containsEntry("category", "credential").containsEntry("version", "2")
          .containsEntry("tag.env", "prod");
      assertThat(s.toString()).doesNotContain("p1").doesNotContain("p2");
    });
    assertThat(provider.list("x", ACME)).isEmpty();
  }

  // ----------------------------------------------------------------------------- SQL helpers

  void execute(String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private void flipCiphertextByte(String name, int version) throws SQLException {
    try (Connection c = pool.getConnection()) {
      byte[] ct;
      UUID id;
      try (PreparedStatement ps = c.prepareStatement("SELECT v.ciphertext, v.secret_id FROM sf_secret_version v"
          + " JOIN sf_secret s ON s.id = v.secret_id WHERE s.name = ? AND v.version = ?")) {
        ps.setString(1, name);
        ps.setInt(2, version);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          ct = rs.getBytes(1);
          id = rs.getObject(2, UUID.class);
        }
      }
      ct[ct.length / 2] ^= 0x01;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sf_secret_version SET ciphertext = ? WHERE secret_id = ? AND version = ?")) {
        ps.setBytes(1, ct);
        ps.setObject(2, id);
        ps.setInt(3, version);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }

  private void copyCiphertext(String fromName, String fromTenant, int fromVersion, String toName,
      String toTenant, int toVersion) throws SQLException {
    try (Connection c = pool.getConnection()) {
      byte[] ct;
      try (PreparedStatement ps = c.prepareStatement("SELECT v.ciphertext FROM sf_secret_version v"
          + " JOIN sf_secret s ON s.id = v.secret_id WHERE s.tenant = ? AND s.name = ? AND v.version = ?")) {
        ps.setString(1, fromTenant == null ? "" : fromTenant);
        ps.setString(2, fromName);
        ps.setInt(3, fromVersion);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          ct = rs.getBytes(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE sf_secret_version SET ciphertext = ?"
          + " WHERE version = ? AND secret_id = (SELECT id FROM sf_secret WHERE tenant = ? AND name = ?)")) {
        ps.setBytes(1, ct);
        ps.setInt(2, toVersion);
        ps.setString(3, toTenant == null ? "" : toTenant);
        ps.setString(4, toName);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }

  private Set<Long> distinctKeyIds(String tenant) throws SQLException {
    Set<Long> ids = new TreeSet<>();
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT v.key_id FROM sf_secret_version v JOIN sf_secret s ON s.id = v.secret_id"
            + " WHERE s.tenant = ? AND v.key_id IS NOT NULL")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
