package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.testing.FakeAws.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of the error table, as the loopback service answers it. */
class ErrorMappingTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String PLANTED = "planted-Value-4711";

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private SecretException fail(String ref) {
    SecretException e =
        catchThrowableOfType(
            SecretException.class, () -> f.provider().fetch(SecretRef.parse(ref), CTX).close());
    assertThat(e).as("expected a SecretException for %s", ref).isNotNull();
    assertThat(e.ref()).isEqualTo(SecretRef.parse(ref));
    assertThat(e.getMessage()).doesNotContain(PLANTED).doesNotContain(Fixture.SECRET_ACCESS_KEY);
    return e;
  }

  @Test
  void missingSecretIsNotFound() {
    SecretException e = fail("aws:prod/missing");
    assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(e.getMessage())
        .contains("ResourceNotFoundException", "HTTP 400", "GetSecretValue", "eu-west-1", "request id");
    // The service's own message text stays out.
    assertThat(e.getMessage()).doesNotContain("can't find");
    assertThat(e.getCause()).isNull();
  }

  @Test
  void missingPinnedVersionIsVersionNotFound() {
    f.aws.putString("prod/db", PLANTED);
    SecretException e = fail("aws:prod/db@a1b2c3d4-5678-90ab-cdef-000000000000");
    assertThat(e.error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(e.remedy()).contains("list-secret-version-ids");

    SecretException label = fail("aws:prod/db@AWSPENDING");
    assertThat(label.error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(label.getMessage()).contains("staging label AWSPENDING");
  }

  @Test
  void pinnedVersionOfAMissingSecretIsNotFound() {
    SecretException e = fail("aws:prod/nothing@AWSPREVIOUS");
    assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
  }

  @Test
  void accessDeniedNamesTheIamActionAndResource() {
    f.aws.putString("prod/db", PLANTED);
    f.aws.deny("prod/db");
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(e.remedy()).contains("Grant secretsmanager:GetSecretValue on prod/db");
    assertThat(f.aws.count("GetSecretValue")).as("not retried").isEqualTo(1);
  }

  @Test
  void decryptionFailureNamesKmsDecrypt() {
    f.aws.putString("prod/db", PLANTED);
    f.aws.kmsFails("prod/db");
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(e.remedy()).contains("kms:Decrypt");
  }

  @Test
  void secretScheduledForDeletionIsDeleted() {
    f.aws.putString("prod/db", PLANTED);
    f.aws.scheduleDeletion("prod/db");
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.DELETED);
    assertThat(e.remedy()).contains("restore-secret");
  }

  @Test
  void invalidParameterIsInvalidReference() {
    f.aws.failNext(1, Fault.error(400, "InvalidParameterException", "Invalid name " + PLANTED));
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE);
  }

  @Test
  void otherInvalidRequestIsInvalidReference() {
    f.aws.failNext(1, Fault.error(400, "InvalidRequestException", "replication in progress"));
    assertThat(fail("aws:prod/db").error()).isEqualTo(SecretError.INVALID_REFERENCE);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "400, ThrottlingException, THROTTLED",
    "429, ,                    THROTTLED",
    "500, InternalServiceError, PROVIDER_UNAVAILABLE",
    "503, ,                    PROVIDER_UNAVAILABLE",
    "502, ,                    PROVIDER_UNAVAILABLE",
  })
  void retryableFailuresAreRetriedThenMapped(int status, String type, SecretError expected) {
    f.aws.putString("prod/db", PLANTED);
    f.aws.failAlways(Fault.error(status, type, "message with " + PLANTED));

    SecretException e = fail("aws:prod/db");

    assertThat(e.error()).isEqualTo(expected);
    assertThat(e.retryable()).isTrue();
    assertThat(f.aws.count("GetSecretValue")).as("retry.maxAttempts=3").isEqualTo(3);
    if (expected == SecretError.THROTTLED) {
      assertThat(e.remedy()).contains("quota");
    }
  }

  @Test
  void droppedConnectionIsProviderUnavailable() {
    f.aws.failAlways(Fault.drop());
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
    assertThat(e.getMessage()).contains("could not reach Secrets Manager in eu-west-1");
    assertThat(f.aws.count("GetSecretValue")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void unreachableEndpointIsProviderUnavailable() {
    f.with(AwsOptions.ENDPOINT, "http://127.0.0.1:1").with(AwsOptions.RETRY_MAX_ATTEMPTS, "1");
    SecretException e = fail("aws:prod/db");
    assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
  }

  @Test
  void throttlingThenSuccess() {
    String version = f.aws.putString("prod/db", PLANTED);
    f.aws.failNext(2, Fault.error(400, "ThrottlingException", "Rate exceeded"));

    try (SecretValue v = f.provider().fetch(SecretRef.parse("aws:prod/db"), CTX)) {
      assertThat(v.reveal()).isEqualTo(PLANTED);
      assertThat(v.version()).isEqualTo(version);
    }
    assertThat(f.aws.count("GetSecretValue")).isEqualTo(3);
  }

  @Test
  void serverErrorThenSuccess() {
    f.aws.putString("prod/db", PLANTED);
    f.aws.failNext(1, Fault.error(500, "InternalServiceError", "oops"));

    try (SecretValue v = f.provider().fetch(SecretRef.parse("aws:prod/db"), CTX)) {
      assertThat(v.reveal()).isEqualTo(PLANTED);
    }
    assertThat(f.aws.count("GetSecretValue")).isEqualTo(2);
  }

  @Test
  void maxAttemptsOfOneDisablesRetries() {
    f.with(AwsOptions.RETRY_MAX_ATTEMPTS, "1");
    f.aws.failAlways(Fault.error(400, "ThrottlingException", "Rate exceeded"));
    assertThat(fail("aws:prod/db").error()).isEqualTo(SecretError.THROTTLED);
    assertThat(f.aws.count("GetSecretValue")).isEqualTo(1);
  }
}
