package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tenantPrefix}: each Camunda tenant reads only the names under its own prefix. */
class TenancyTest {
  private static final SecretContext ACME = SecretContext.forTenant("acme");
  private static final SecretContext GLOBEX = SecretContext.forTenant("globex");

  private final Fixture f = new Fixture().with(AwsOptions.TENANT_PREFIX, "tenants/{tenant}/");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aTenantReadsItsOwnSecretUnderItsPrefixAndTheValueKeepsTheRequestedName() {
    f.aws.putString("tenants/acme/db", "acme-db-value");
    try (SecretValue v = f.provider().fetch(SecretRef.parse("aws:db"), ACME)) {
      assertThat(v.reveal()).isEqualTo("acme-db-value");
      assertThat(v.ref()).isEqualTo(SecretRef.parse("aws:db"));
    }
    assertThat(f.aws.last("GetSecretValue").json().path("SecretId").asText())
        .isEqualTo("tenants/acme/db");
  }

  @Test
  void anotherTenantCannotReachItEvenByName() {
    f.aws.putString("tenants/acme/db", "acme-db-value");
    assertThatThrownBy(() -> f.provider().fetch(SecretRef.parse("aws:db"), GLOBEX))
        .isInstanceOfSatisfying(
            SecretException.class, e -> assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND));
    // Naming the other tenant's full name only nests it under the caller's own prefix.
    assertThatThrownBy(() -> f.provider().fetch(SecretRef.parse("aws:tenants/acme/db"), GLOBEX))
        .isInstanceOf(SecretException.class);
    assertThat(f.aws.last("GetSecretValue").json().path("SecretId").asText())
        .isEqualTo("tenants/globex/tenants/acme/db");
  }

  @Test
  void theDefaultTenantHasAPrefixToo() {
    f.aws.putString("tenants/default/db", "default-value");
    f.aws.putString("db", "unconfined-value");
    try (SecretValue v = f.provider().fetch(SecretRef.parse("aws:db"), SecretContext.system())) {
      assertThat(v.reveal()).isEqualTo("default-value");
    }
  }

  @Test
  void arnsAndUnsafeTenantIdsAreRefused() {
    f.aws.putString("tenants/acme/db", "acme-db-value");
    String arn = f.aws.arn("tenants/acme/db");
    assertThatThrownBy(() -> f.provider().fetch(SecretRef.parse("aws:" + arn), ACME))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE);
              assertThat(e.getMessage()).contains("tenantPrefix");
            });
    assertThatThrownBy(
            () -> f.provider().fetch(SecretRef.parse("aws:db"), SecretContext.forTenant("a/b")))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED));
    assertThat(f.aws.count("GetSecretValue")).isZero();
  }

  @Test
  void checkAndListStayInsideThePrefix() {
    f.aws.putString("tenants/acme/db", "acme-db-value");
    f.aws.putString("tenants/acme/api", "acme-api-value");
    f.aws.putString("tenants/globex/db", "globex-db-value");
    Map<SecretRef, SecretCheck> checks =
        f.provider().check(List.of(SecretRef.parse("aws:db"), SecretRef.parse("aws:nope")), ACME);
    assertThat(checks.get(SecretRef.parse("aws:db")).isOk()).isTrue();
    assertThat(checks.get(SecretRef.parse("aws:nope")).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(f.provider().list("", ACME))
        .extracting(SecretSummary::name)
        .containsExactly("api", "db");
    assertThat(f.provider().list("d", GLOBEX)).extracting(SecretSummary::name).containsExactly("db");
  }

  @Test
  void aTemplateWithoutTenantSlashIsAConfigurationError() {
    Fixture bad = new Fixture().with(AwsOptions.TENANT_PREFIX, "{tenant}-");
    try {
      assertThatThrownBy(bad::provider)
          .isInstanceOfSatisfying(
              SecretException.class,
              e -> {
                assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
                assertThat(e.getMessage()).contains("{tenant}/");
              });
    } finally {
      bad.close();
    }
  }
}
