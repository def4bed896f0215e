package io.secretfetch.benchmarks.resolver;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import java.util.List;
import java.util.Map;

/**
 * An in-process Secrets Manager client for AWS's caching library: answers DescribeSecret and
 * GetSecretValue from memory after a fixed latency, and counts the calls.
 */
final class StubSecretsManagerClient implements SecretsManagerClient {
  private final String value;
  private final long latencyNanos;
  final AtomicInteger calls = new AtomicInteger();

  StubSecretsManagerClient(String value, long latencyNanos) {
    this.value = value;
    this.latencyNanos = latencyNanos;
  }

  @Override
  public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
    calls.incrementAndGet();
    pause();
    return DescribeSecretResponse.builder()
        .name(request.secretId())
        .versionIdsToStages(Map.of("v1", List.of("AWSCURRENT")))
        .build();
  }

  @Override
  public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
    calls.incrementAndGet();
    pause();
    return GetSecretValueResponse.builder()
        .name(request.secretId())
        .versionId("v1")
        .versionStages("AWSCURRENT")
        .secretString(value)
        .build();
  }

  private void pause() {
    if (latencyNanos > 0) {
      LockSupport.parkNanos(latencyNanos);
    }
  }

  @Override
  public String serviceName() {
    return "secretsmanager";
  }

  @Override
  public void close() {}
}
