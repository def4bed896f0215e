package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {

  private static AwsOptions parse(Map<String, String> settings) {
    return AwsOptions.fromConfig(ProviderConfig.of("aws", settings));
  }

  @Test
  void defaults() {
    AwsOptions o = parse(Map.of());
    assertThat(o.region()).isNull();
    assertThat(o.staticCredentials()).isFalse();
    assertThat(o.roleArn()).isNull();
    assertThat(o.roleSessionName()).isEqualTo("secret-fetch");
    assertThat(o.roleDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(o.retryMaxAttempts()).isEqualTo(3);
    assertThat(o.retryBaseDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.retryThrottlingBaseDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.apiCallTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.listLimit()).isEqualTo(1000);
    assertThat(o.replicaRegions()).isEmpty();
  }

  @Test
  void everySettingIsRead() {
    Map<String, String> s = new HashMap<>();
    s.put("region", "eu-west-1");
    s.put("endpoint", "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com");
    s.put("endpoint.us-east-1", "https://secretsmanager-fips.us-east-1.amazonaws.com");
    s.put("fips", "true");
    s.put("replicaRegions", "eu-central-1, us-east-1");
    s.put("accessKeyIdRef", "platform:aws/keys#accessKeyId");
    s.put("secretAccessKeyRef", "platform:aws/keys#secretAccessKey");
    s.put("sessionTokenRef", "platform:aws/keys#sessionToken");
    s.put("roleArn", "arn:aws:iam::123456789012:role/reader");
    s.put("externalId", "ext-1");
    s.put("roleSessionName", "engine-1");
    s.put("roleDuration", "PT2H");
    s.put("stsRegion", "us-east-1");
    s.put("stsEndpoint", "https://sts.us-east-1.amazonaws.com");
    s.put("retry.maxAttempts", "5");
    s.put("retry.baseDelay", "PT0.2S");
    s.put("retry.throttlingBaseDelay", "2");
    s.put("retry.maxBackoff", "PT30S");
    s.put("connectTimeout", "PT1S");
    s.put("socketTimeout", "PT5S");
    s.put("apiCallTimeout", "PT10S");
    s.put("listLimit", "50");

    AwsOptions o = parse(s);

    assertThat(o.region()).isEqualTo("eu-west-1");
    assertThat(o.endpoint()).isEqualTo(URI.create(s.get("endpoint")));
    assertThat(o.regionEndpoints()).containsEntry("us-east-1", URI.create(s.get("endpoint.us-east-1")));
    assertThat(o.fips()).isTrue();
    assertThat(o.replicaRegions()).containsExactly("eu-central-1", "us-east-1");
    assertThat(o.accessKeyIdRef()).isEqualTo(SecretRef.parse("platform:aws/keys#accessKeyId"));
    assertThat(o.sessionTokenRef()).isEqualTo(SecretRef.parse("platform:aws/keys#sessionToken"));
    assertThat(o.staticCredentials()).isTrue();
    assertThat(o.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/reader");
    assertThat(o.externalId()).isEqualTo("ext-1");
    assertThat(o.roleSessionName()).isEqualTo("engine-1");
    assertThat(o.roleDuration()).isEqualTo(Duration.ofHours(2));
    assertThat(o.stsRegion()).isEqualTo("us-east-1");
    assertThat(o.retryMaxAttempts()).isEqualTo(5);
    assertThat(o.retryBaseDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(o.retryThrottlingBaseDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.socketTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.apiCallTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.listLimit()).isEqualTo(50);
    assertThat(o.toString()).contains("eu-west-1", "platform:aws/keys#accessKeyId")
        .doesNotContain("ext-1");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "region|Europe|region",
        "endpoint|not a url|endpoint",
        "endpoint|ftp://host|endpoint",
        "endpoint.moon-1|https://x|endpoint.moon-1",
        "replicaRegions|eu-west-1,nowhere|replicaRegions",
        "accessKeyIdRef|platform:a/b|secretAccessKeyRef",
        "sessionTokenRef|platform:t|sessionTokenRef",
        "accessKeyIdRef|platform:|accessKeyIdRef",
        "roleArn|arn:aws:iam::123:user/x|roleArn",
        "externalId|x y|roleArn",
        "roleSessionName|a b|roleSessionName",
        "roleDuration|PT1M|roleDuration",
        "retry.maxAttempts|0|retry.maxAttempts",
        "retry.maxAttempts|three|retry.maxAttempts",
        "retry.baseDelay|soon|retry.baseDelay",
        "apiCallTimeout|PT0S|apiCallTimeout",
        "listLimit|0|listLimit",
      })
  void badSettingsAreConfigurationErrorsNamingTheSetting(String key, String value, String named) {
    assertThatThrownBy(() -> parse(Map.of(key, value)))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining(named)
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.CONFIGURATION);
  }

  @Test
  void replicaListMustNotRepeatTheOwnRegion() {
    assertThatThrownBy(() -> parse(Map.of("region", "eu-west-1", "replicaRegions", "eu-west-1")))
        .hasMessageContaining("replicaRegions");
  }

  @Test
  void builderAndToBuilderRoundTrip() {
    AwsOptions o = AwsOptions.builder().region("us-west-2").replicaRegion("us-east-2").build();
    assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
  }
}
