package io.secretfetch.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretAddressTest {
  private static final String ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
  private static final String VERSION_ID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

  private static SecretAddress of(String ref) {
    return SecretAddress.of(SecretRef.parse(ref));
  }

  @Test
  void unpinnedMeansAwsCurrent() {
    SecretAddress a = of("aws:prod/db");
    assertThat(a.secretId()).isEqualTo("prod/db");
    assertThat(a.versionStage()).isEqualTo("AWSCURRENT");
    assertThat(a.versionId()).isNull();
    assertThat(a.arnRegion()).isNull();
    assertThat(a.pinned()).isFalse();
    assertThat(a.immutable()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"})
  void awsLabelsAreStages(String label) {
    SecretAddress a = of("aws:prod/db@" + label);
    assertThat(a.versionStage()).isEqualTo(label);
    assertThat(a.versionId()).isNull();
    assertThat(a.immutable()).isFalse();
  }

  @Test
  void explicitAwsCurrentIsNotPinned() {
    assertThat(of("aws:prod/db@AWSCURRENT").pinned()).isFalse();
    assertThat(of("aws:prod/db@AWSPREVIOUS").pinned()).isTrue();
  }

  @Test
  void stagePrefixSelectsACustomLabel() {
    SecretAddress a = of("aws:prod/db@stage:blue-green");
    assertThat(a.versionStage()).isEqualTo("blue-green");
    assertThat(a.pinned()).isTrue();
    assertThat(a.describeVersion()).isEqualTo("staging label blue-green");
  }

  @Test
  void anythingElseIsAVersionId() {
    SecretAddress a = of("aws:prod/db@" + VERSION_ID);
    assertThat(a.versionId()).isEqualTo(VERSION_ID);
    assertThat(a.versionStage()).isNull();
    assertThat(a.immutable()).isTrue();
    assertThat(a.describeVersion()).isEqualTo("version id " + VERSION_ID);
  }

  @Test
  void lowerCaseAwsLabelIsNotAStageAndTooShortForAnId() {
    assertThatThrownBy(() -> of("aws:prod/db@awscurrent"))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("neither a staging label");
  }

  @Test
  void arnCarriesItsRegionAndIsRewrittenForReplicas() {
    SecretAddress a = of("aws:" + ARN);
    assertThat(a.arnRegion()).isEqualTo("eu-west-1");
    assertThat(a.secretIdIn("eu-west-1")).isEqualTo(ARN);
    assertThat(a.secretIdIn("us-east-1"))
        .isEqualTo("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf");
    assertThat(of("aws:prod/db").secretIdIn("us-east-1")).isEqualTo("prod/db");
  }

  @Test
  void otherPartitionsAreAccepted() {
    assertThat(of("aws:arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf").arnRegion())
        .isEqualTo("cn-north-1");
    assertThat(of("aws:arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x").arnRegion())
        .isEqualTo("us-gov-west-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws:arn:aws:s3:::bucket",
        "aws:arn:aws:secretsmanager:eu-west-1:123:secret:x",
        "aws:arn:aws:secretsmanager::123456789012:secret:x",
        "aws:arn:aws:secretsmanager:EU:123456789012:secret:x",
        "aws:arn:aws:secretsmanager:eu-west-1:123456789012:parameter:x",
        "aws:prod db",
        "aws:prod/db!",
        "aws:prod/db@stage:"
      })
  void malformedReferencesAreInvalid(String ref) {
    assertThatThrownBy(() -> of(ref))
        .isInstanceOf(SecretException.class)
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.INVALID_REFERENCE);
  }

  @Test
  void namesMayUseEveryCharacterAwsAllows() {
    assertThat(of("aws:a-Z_0/+=.%40x").secretId()).isEqualTo("a-Z_0/+=.@x");
  }
}
