package io.secretfetch.aws.internal;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.aws.AwsOptions;
import io.secretfetch.aws.internal.AwsErrors.Operation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK side of one provider: one HTTP client, one credentials provider, one Secrets Manager
 * client per region (built on first use), and the replica-region failover.
 */
public final class AwsClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwsClients.class);

  private final String providerId;
  private final AwsOptions options;
  private final String primaryRegion;
  private final SdkHttpClient httpClient;
  private final AwsCredentialsProvider credentials;
  private final AwsCredentialsProvider baseCredentials;
  private final BootstrapCredentialsProvider bootstrapCredentials;
  private final StsClient stsClient;
  private final ClientOverrideConfiguration overrides;
  private final Map<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public AwsClients(String providerId, AwsOptions options, BootstrapSecrets bootstrap) {
    this.providerId = providerId;
    this.options = options;
    this.primaryRegion = options.region() != null ? options.region() : defaultRegion(providerId);
    this.httpClient =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(options.connectTimeout())
            .socketTimeout(options.socketTimeout())
            .build();
    this.overrides =
        ClientOverrideConfiguration.builder()
            .retryStrategy(retryStrategy(options))
            .apiCallTimeout(options.apiCallTimeout())
            .build();

    AwsCredentialsProvider base;
    if (options.staticCredentials()) {
      requireProvider(bootstrap, options.accessKeyIdRef(), AwsOptions.ACCESS_KEY_ID_REF);
      requireProvider(bootstrap, options.secretAccessKeyRef(), AwsOptions.SECRET_ACCESS_KEY_REF);
      if (options.sessionTokenRef() != null) {
        requireProvider(bootstrap, options.sessionTokenRef(), AwsOptions.SESSION_TOKEN_REF);
      }
      bootstrapCredentials =
          new BootstrapCredentialsProvider(
              providerId,
              bootstrap,
              options.accessKeyIdRef(),
              options.secretAccessKeyRef(),
              options.sessionTokenRef());
      base = bootstrapCredentials;
    } else {
      bootstrapCredentials = null;
      base = DefaultCredentialsProvider.builder().build();
    }
    this.baseCredentials = base;
    if (options.roleArn() != null) {
      String stsRegion = options.stsRegion() != null ? options.stsRegion() : primaryRegion;
      var sts =
          StsClient.builder()
              .httpClient(httpClient)
              .region(Region.of(stsRegion))
              .credentialsProvider(base)
              .overrideConfiguration(overrides);
      if (options.stsEndpoint() != null) {
        sts.endpointOverride(options.stsEndpoint());
      }
      this.stsClient = sts.build();
      this.credentials =
          StsAssumeRoleCredentialsProvider.builder()
              .stsClient(stsClient)
              .asyncCredentialUpdateEnabled(false)
              .refreshRequest(
                  r -> {
                    r.roleArn(options.roleArn())
                        .roleSessionName(options.roleSessionName())
                        .durationSeconds((int) options.roleDuration().toSeconds());
                    if (options.externalId() != null) {
                      r.externalId(options.externalId());
                    }
                  })
              .build();
    } else {
      this.stsClient = null;
      this.credentials = base;
    }
  }

  /** The region names and secret ids are resolved in unless an ARN says otherwise. */
  public String primaryRegion() {
    return primaryRegion;
  }

  /**
   * Calls {@code call} in {@code region}, then in each replica region in turn while the failure is
   * {@code PROVIDER_UNAVAILABLE} (5xx, I/O, time-out). Not-found, access-denied and throttling
   * answers are final: a replica would give the same answer or add load.
   *
   * @param region the region to try first
   * @param address the secret, or null for calls that concern no single secret
   * @param call the request, given the client and the region it is for
   */
  public <T> T call(
      SecretRef ref,
      SecretAddress address,
      String region,
      Operation op,
      BiFunction<SecretsManagerClient, String, T> call) {
    List<String> regions = new ArrayList<>();
    regions.add(region);
    for (String replica : options.replicaRegions()) {
      if (!regions.contains(replica)) {
        regions.add(replica);
      }
    }
    SecretException last = null;
    for (int i = 0; i < regions.size(); i++) {
      String r = regions.get(i);
      String target = address == null ? null : address.secretIdIn(r);
      try {
        return callOnce(ref, address, r, op, target, call);
      } catch (SecretException e) {
        last = e;
        if (e.error() != SecretError.PROVIDER_UNAVAILABLE || i + 1 == regions.size()) {
          throw e;
        }
        log.warn(
            "AWS provider '{}': Secrets Manager in {} is unavailable for {} ({}); trying"
                + " replica region {}",
            providerId, r, op.apiName(), e.detail(), regions.get(i + 1));
      }
    }
    throw last;
  }

  private <T> T callOnce(
      SecretRef ref,
      SecretAddress address,
      String region,
      Operation op,
      String target,
      BiFunction<SecretsManagerClient, String, T> call) {
    SecretsManagerClient client = client(region);
    try {
      return call.apply(client, region);
    } catch (RuntimeException e) {
      if (e instanceof SecretException se) {
        throw se;
      }
      if (bootstrapCredentials != null
          && AwsErrors.credentialsRejected(e)
          && bootstrapCredentials.refreshAfterRejection()) {
        log.info(
            "AWS provider '{}': AWS refused the static keys; retrying once with their new version",
            providerId);
        try {
          return call.apply(client, region);
        } catch (RuntimeException again) {
          if (again instanceof SecretException se) {
            throw se;
          }
          throw AwsErrors.map(again, ref, address, op, region, target);
        }
      }
      throw AwsErrors.map(e, ref, address, op, region, target);
    }
  }

  /** The client for {@code region}, built on first use. */
  public SecretsManagerClient client(String region) {
    if (closed.get()) {
      throw SecretException.providerUnavailable(
          "AWS provider '" + providerId + "' is closed",
          "Build a new resolver");
    }
    return clients.computeIfAbsent(region, this::build);
  }

  private SecretsManagerClient build(String region) {
    SecretsManagerClientBuilder b =
        SecretsManagerClient.builder()
            .httpClient(httpClient)
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(overrides);
    URI endpoint = options.regionEndpoints().get(region);
    if (endpoint == null && region.equals(primaryRegion)) {
      endpoint = options.endpoint();
    }
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    } else if (options.fips()) {
      b.fipsEnabled(true);
    }
    return b.build();
  }

  private static RetryStrategy retryStrategy(AwsOptions options) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(options.retryMaxAttempts())
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(options.retryBaseDelay(), options.retryMaxBackoff()))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(
                options.retryThrottlingBaseDelay(), options.retryMaxBackoff()))
        .build();
  }

  private static String defaultRegion(String providerId) {
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
    } catch (RuntimeException e) {
      throw SecretException.configuration(
          "AWS provider '" + providerId + "' has no region: the setting 'region' is empty and"
              + " the SDK's default region chain found none",
          "Set 'region' (for example eu-west-1) in the configuration of provider '" + providerId
              + "', or AWS_REGION in the environment");
    }
  }

  private void requireProvider(BootstrapSecrets bootstrap, SecretRef ref, String key) {
    if (bootstrap == null) {
      throw SecretException.configuration(
          "AWS provider '" + providerId + "' reads '" + key + "' through a bootstrap resolver,"
              + " but none was given",
          "Configure the provider through SecretResolver.builder().provider(ProviderConfig)");
    }
    try {
      bootstrap.normalize(ref);
    } catch (SecretException e) {
      throw SecretException.configuration(
          "setting '" + key + "' of AWS provider '" + providerId + "' names " + ref
              + ", which no provider configured before it can resolve: " + e.detail(),
          "Configure the provider that holds the keys (e.g. platform) before '" + providerId
              + "', or correct '" + key + "'");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    clients.values().forEach(SdkAutoCloseable::close);
    clients.clear();
    if (credentials instanceof SdkAutoCloseable c) {
      c.close();
    }
    if (baseCredentials != credentials && baseCredentials instanceof SdkAutoCloseable c) {
      c.close();
    }
    if (stsClient != null) {
      stsClient.close();
    }
    httpClient.close();
  }

  @Override
  public String toString() {
    return "AwsClients[" + providerId + ", region=" + primaryRegion + ", credentials="
        + (options.roleArn() != null ? "assume-role " + options.roleArn() + " over " : "")
        + (bootstrapCredentials != null ? bootstrapCredentials : "default chain") + "]";
  }
}
