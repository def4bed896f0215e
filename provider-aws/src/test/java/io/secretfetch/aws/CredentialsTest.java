package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.testing.FakeAws;
import io.secretfetch.aws.testing.FakeAws.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String ROLE = "arn:aws:iam::123456789012:role/secret-reader";

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private String fetch(String ref) {
    try (SecretValue v = f.provider().fetch(SecretRef.parse(ref), CTX)) {
      return v.reveal();
    }
  }

  @Test
  void requestsAreSignedWithTheKeysHeldInThePlatformStore() {
    f.aws.putString("prod/db", "value");

    assertThat(fetch("aws:prod/db")).isEqualTo("value");

    FakeAws.Request req = f.aws.last("GetSecretValue");
    assertThat(req.header("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + Fixture.ACCESS_KEY_ID + "/")
        .contains("/eu-west-1/secretsmanager/aws4_request")
        .doesNotContain(Fixture.SECRET_ACCESS_KEY);
    assertThat(req.accessKeyId()).isEqualTo(Fixture.ACCESS_KEY_ID);
  }

  @Test
  void theServerChecksTheSignatureSoAWrongSecretKeyIsRefused() {
    f.aws.putString("prod/db", "value");
    f.platform.put(
        "aws/keys",
        "{\"accessKeyId\":\"" + Fixture.ACCESS_KEY_ID + "\",\"secretAccessKey\":\"wrong\"}");

    SecretException e = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));

    assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("InvalidSignatureException", "refused the credentials");
  }

  @Test
  void keysAreResolvedLazilyOnFirstUse() {
    f.aws.putString("prod/db", "value");
    f.resolver();
    assertThat(f.platform.fetchCount()).isZero();

    fetch("aws:prod/db");

    assertThat(f.platform.fetchCount()).isPositive();
  }

  @Test
  void rotatedKeysArePickedUpWhenAwsRefusesTheOldOnes() {
    f.aws.putString("prod/db", "value");
    assertThat(fetch("aws:prod/db")).isEqualTo("value");

    // Rotate: AWS now knows only the new key pair, and the store holds it as a new version.
    f.aws.revokeKey(Fixture.ACCESS_KEY_ID);
    f.aws.acceptKey("AKIAROTATED00000002", "rotatedSecretKey/2");
    f.platform.put(
        "aws/keys", "{\"accessKeyId\":\"AKIAROTATED00000002\",\"secretAccessKey\":\"rotatedSecretKey/2\"}");

    assertThat(fetch("aws:prod/db")).isEqualTo("value");
    assertThat(f.aws.last("GetSecretValue").accessKeyId()).isEqualTo("AKIAROTATED00000002");
  }

  @Test
  void aRevokedKeyWithoutANewVersionIsAccessDenied() {
    f.aws.putString("prod/db", "value");
    f.aws.revokeKey(Fixture.ACCESS_KEY_ID);
    f.aws.acceptKey("AKIASOMEONEELSE0001", "x");

    SecretException e = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));

    assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("UnrecognizedClientException");
    assertThat(f.aws.count("GetSecretValue")).as("no retry without new keys").isEqualTo(1);
  }

  @Test
  void aMissingKeySecretIsAConfigurationError() {
    f.with(AwsOptions.ACCESS_KEY_ID_REF, "platform:aws/nothing");
    SecretException e = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("static keys", "platform:aws/nothing");
    assertThat(f.aws.requests()).isEmpty();
  }

  @Test
  void aKeyReferenceToAnUnknownProviderFailsAtStart() {
    f.with(AwsOptions.ACCESS_KEY_ID_REF, "vault:aws/keys#id");
    assertThatThrownBy(f::resolver)
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("accessKeyIdRef")
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.CONFIGURATION);
  }

  @Test
  void sessionTokenFromThePlatformStoreIsSent() {
    f.aws.revokeKey(Fixture.ACCESS_KEY_ID);
    f.aws.acceptKey(Fixture.ACCESS_KEY_ID, Fixture.SECRET_ACCESS_KEY, "platform-session-token");
    f.platform.put("aws/token", "platform-session-token");
    f.with(AwsOptions.SESSION_TOKEN_REF, "platform:aws/token");
    f.aws.putString("prod/db", "value");

    assertThat(fetch("aws:prod/db")).isEqualTo("value");
    assertThat(f.aws.last("GetSecretValue").header("X-Amz-Security-Token"))
        .isEqualTo("platform-session-token");
  }

  @Test
  void theSdkDefaultChainIsUsedWhenNoKeysAreConfigured() {
    f.with(AwsOptions.ACCESS_KEY_ID_REF, null).with(AwsOptions.SECRET_ACCESS_KEY_REF, null);
    f.aws.revokeKey(Fixture.ACCESS_KEY_ID);
    f.aws.acceptKey("AKIADEFAULTCHAIN001", "defaultChainSecret");
    f.aws.putString("prod/db", "value");
    String oldId = System.getProperty("aws.accessKeyId");
    String oldSecret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", "AKIADEFAULTCHAIN001");
    System.setProperty("aws.secretAccessKey", "defaultChainSecret");
    try {
      assertThat(fetch("aws:prod/db")).isEqualTo("value");
      assertThat(f.aws.last("GetSecretValue").accessKeyId()).isEqualTo("AKIADEFAULTCHAIN001");
      assertThat(f.platform.fetchCount()).isZero();
    } finally {
      restore("aws.accessKeyId", oldId);
      restore("aws.secretAccessKey", oldSecret);
    }
  }

  @Test
  void assumeRoleThroughStsWithExternalIdAndSessionName() {
    f.with(AwsOptions.ROLE_ARN, ROLE)
        .with(AwsOptions.EXTERNAL_ID, "ext-4711")
        .with(AwsOptions.ROLE_SESSION_NAME, "camunda-prod")
        .with(AwsOptions.ROLE_DURATION, "PT30M")
        .with(AwsOptions.STS_ENDPOINT, f.aws.uri().toString());
    f.aws.putString("prod/db", "value");

    assertThat(fetch("aws:prod/db")).isEqualTo("value");
    assertThat(fetch("aws:prod/db")).isEqualTo("value");

    FakeAws.Request assume = f.aws.last("sts.AssumeRole");
    assertThat(assume.form())
        .containsEntry("RoleArn", ROLE)
        .containsEntry("ExternalId", "ext-4711")
        .containsEntry("RoleSessionName", "camunda-prod")
        .containsEntry("DurationSeconds", "1800");
    assertThat(assume.accessKeyId()).as("STS call signed with the stored keys")
        .isEqualTo(Fixture.ACCESS_KEY_ID);
    assertThat(assume.signingService()).isEqualTo("sts");
    assertThat(f.aws.count("sts.AssumeRole")).as("credentials cached until expiry").isEqualTo(1);

    FakeAws.Request get = f.aws.last("GetSecretValue");
    assertThat(get.accessKeyId()).startsWith("ASIATEMPORARY");
    assertThat(get.header("X-Amz-Security-Token")).startsWith("FwoGZXIvYXdzEXAMPLETOKEN");
  }

  @Test
  void stsAccessDeniedIsAccessDeniedNamingAssumeRole() {
    f.with(AwsOptions.ROLE_ARN, ROLE).with(AwsOptions.STS_ENDPOINT, f.aws.uri().toString());
    f.aws.failNext(1, Fault.error(403, "AccessDenied", "not authorized to perform sts:AssumeRole"));

    SecretException e = catchThrowableOfType(SecretException.class, () -> fetch("aws:prod/db"));

    assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(e.remedy()).contains("sts:AssumeRole", "external id");
    assertThat(f.aws.count("GetSecretValue")).isZero();
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
