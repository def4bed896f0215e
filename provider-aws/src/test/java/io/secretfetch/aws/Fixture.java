package io.secretfetch.aws;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.aws.testing.FakeAws;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resolver with an in-memory platform store holding the AWS keys and an {@code aws} provider
 * pointed at a loopback AWS that accepts only those keys.
 */
final class Fixture implements AutoCloseable {
  static final String ACCESS_KEY_ID = "AKIAPLATFORMSTORE01";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLATFORMKEY";

  final FakeAws aws;
  final InMemorySecretProvider platform = new InMemorySecretProvider("platform");
  final Map<String, String> settings = new LinkedHashMap<>();
  private SecretResolver resolver;

  Fixture(String region) {
    this.aws = FakeAws.start(region);
    aws.acceptKey(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    platform.put(
        "aws/keys",
        "{\"accessKeyId\":\"" + ACCESS_KEY_ID + "\",\"secretAccessKey\":\"" + SECRET_ACCESS_KEY
            + "\"}");
    settings.put(AwsOptions.REGION, region);
    settings.put(AwsOptions.ENDPOINT, aws.uri().toString());
    settings.put(AwsOptions.ACCESS_KEY_ID_REF, "platform:aws/keys#accessKeyId");
    settings.put(AwsOptions.SECRET_ACCESS_KEY_REF, "platform:aws/keys#secretAccessKey");
    settings.putAll(fastRetries());
  }

  Fixture() {
    this("eu-west-1");
  }

  /** Tiny, fixed-ish backoff so retries cost microseconds. */
  static Map<String, String> fastRetries() {
    return Map.of(
        AwsOptions.RETRY_MAX_ATTEMPTS, "3",
        AwsOptions.RETRY_BASE_DELAY, "PT0.001S",
        AwsOptions.RETRY_THROTTLING_BASE_DELAY, "PT0.001S",
        AwsOptions.RETRY_MAX_BACKOFF, "PT0.001S");
  }

  Fixture with(String key, String value) {
    if (value == null) {
      settings.remove(key);
    } else {
      settings.put(key, value);
    }
    return this;
  }

  SecretResolver resolver() {
    if (resolver == null) {
      resolver =
          SecretResolver.builder()
              .provider(platform)
              .provider(ProviderConfig.of("aws", settings))
              .defaultProvider("aws")
              .defaultTtl(Duration.ofMinutes(5))
              .build();
    }
    return resolver;
  }

  AwsSecretsManagerProvider provider() {
    return (AwsSecretsManagerProvider) resolver().provider("aws").orElseThrow();
  }

  @Override
  public void close() {
    if (resolver != null) {
      resolver.close();
    }
    aws.close();
  }
}
