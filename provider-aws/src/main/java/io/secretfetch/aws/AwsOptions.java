package io.secretfetch.aws;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of one AWS Secrets Manager provider, immutable once built. Read them from a {@link
 * ProviderConfig} with {@link #fromConfig(ProviderConfig)} (the keys are the constants of this
 * class) or build them in code with {@link #builder()}.
 *
 * <p>Options hold no credential: static keys are named by {@link SecretRef}s that the bootstrap
 * resolver resolves on first use. {@link #toString()} prints every setting, since none is secret.
 */
public final class AwsOptions {
  private static final Logger log = LoggerFactory.getLogger(AwsOptions.class);

  /** The provider's region, e.g. {@code eu-west-1}; else the SDK's default region chain. */
  public static final String REGION = "region";
  /** Endpoint override for the provider's region (VPC endpoint, FIPS endpoint, a local server). */
  public static final String ENDPOINT = "endpoint";
  /** Prefix of per-region endpoint overrides: {@code endpoint.us-east-1=https://...}. */
  public static final String ENDPOINT_PREFIX = "endpoint.";
  /** {@code true} to use the FIPS endpoints of each region (ignored where an endpoint is set). */
  public static final String FIPS = "fips";
  /** Comma-separated regions tried in order when the primary region is unavailable. */
  public static final String REPLICA_REGIONS = "replicaRegions";
  /** Reference (through the bootstrap resolver) to the access key id of static credentials. */
  public static final String ACCESS_KEY_ID_REF = "accessKeyIdRef";
  /** Reference (through the bootstrap resolver) to the secret access key of static credentials. */
  public static final String SECRET_ACCESS_KEY_REF = "secretAccessKeyRef";
  /** Optional reference to a session token that goes with temporary static credentials. */
  public static final String SESSION_TOKEN_REF = "sessionTokenRef";
  /** ARN of a role to assume through STS, on top of the static or default credentials. */
  public static final String ROLE_ARN = "roleArn";
  /** The external id the role's trust policy requires. */
  public static final String EXTERNAL_ID = "externalId";
  /** The role session name recorded in CloudTrail; default {@value #DEFAULT_SESSION_NAME}. */
  public static final String ROLE_SESSION_NAME = "roleSessionName";
  /** How long assumed-role credentials last (15 minutes to 12 hours); default one hour. */
  public static final String ROLE_DURATION = "roleDuration";
  /** The region of the STS endpoint used to assume the role; default the provider's region. */
  public static final String STS_REGION = "stsRegion";
  /** Endpoint override for STS. */
  public static final String STS_ENDPOINT = "stsEndpoint";
  /** Attempts per call, the first included (1 disables retries); default 3. */
  public static final String RETRY_MAX_ATTEMPTS = "retry.maxAttempts";
  /** Base delay of the exponential, jittered backoff between attempts; default 100 ms. */
  public static final String RETRY_BASE_DELAY = "retry.baseDelay";
  /** Base delay after a throttling error; default 1 s. */
  public static final String RETRY_THROTTLING_BASE_DELAY = "retry.throttlingBaseDelay";
  /** Longest delay between two attempts; default 20 s. */
  public static final String RETRY_MAX_BACKOFF = "retry.maxBackoff";
  /** TCP connect timeout; default 2 s. */
  public static final String CONNECT_TIMEOUT = "connectTimeout";
  /** Socket read timeout; default 10 s. */
  public static final String SOCKET_TIMEOUT = "socketTimeout";
  /** Bound on one whole call, retries included; default 30 s. */
  public static final String API_CALL_TIMEOUT = "apiCallTimeout";
  /** Most secrets {@code list} returns; default 1000. */
  public static final String LIST_LIMIT = "listLimit";
  /**
   * Confines each Camunda tenant to secret names under its own prefix, e.g. {@code
   * tenants/{tenant}/}; the default tenant is {@code default}. Unset: every tenant reads with the
   * provider's identity, as it is.
   */
  public static final String TENANT_PREFIX = "tenantPrefix";

  static final String DEFAULT_SESSION_NAME = "secret-fetch";

  private static final Set<String> KEYS =
      Set.of(
          REGION, ENDPOINT, FIPS, REPLICA_REGIONS, ACCESS_KEY_ID_REF, SECRET_ACCESS_KEY_REF,
          SESSION_TOKEN_REF, ROLE_ARN, EXTERNAL_ID, ROLE_SESSION_NAME, ROLE_DURATION, STS_REGION,
          STS_ENDPOINT, RETRY_MAX_ATTEMPTS, RETRY_BASE_DELAY, RETRY_THROTTLING_BASE_DELAY,
          RETRY_MAX_BACKOFF, CONNECT_TIMEOUT, SOCKET_TIMEOUT, API_CALL_TIMEOUT, LIST_LIMIT,
          TENANT_PREFIX);

  private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");
  private static final Pattern ROLE_ARN_PATTERN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID_PATTERN = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  private final String region;
  private final URI endpoint;
  private final Map<String, URI> regionEndpoints;
  private final boolean fips;
  private final List<String> replicaRegions;
  private final SecretRef accessKeyIdRef;
  private final SecretRef secretAccessKeyRef;
  private final SecretRef sessionTokenRef;
  private final String roleArn;
  private final String externalId;
  private final String roleSessionName;
  private final Duration roleDuration;
  private final String stsRegion;
  private final URI stsEndpoint;
  private final int retryMaxAttempts;
  private final Duration retryBaseDelay;
  private final Duration retryThrottlingBaseDelay;
  private final Duration retryMaxBackoff;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Duration apiCallTimeout;
  private final int listLimit;
  private final String tenantPrefix;

  private AwsOptions(Builder b) {
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.regionEndpoints = Map.copyOf(b.regionEndpoints);
    this.fips = b.fips;
    this.replicaRegions = List.copyOf(b.replicaRegions);
    this.accessKeyIdRef = b.accessKeyIdRef;
    this.secretAccessKeyRef = b.secretAccessKeyRef;
    this.sessionTokenRef = b.sessionTokenRef;
    this.roleArn = b.roleArn;
    this.externalId = b.externalId;
    this.roleSessionName = b.roleSessionName;
    this.roleDuration = b.roleDuration;
    this.stsRegion = b.stsRegion;
    this.stsEndpoint = b.stsEndpoint;
    this.retryMaxAttempts = b.retryMaxAttempts;
    this.retryBaseDelay = b.retryBaseDelay;
    this.retryThrottlingBaseDelay = b.retryThrottlingBaseDelay;
    this.retryMaxBackoff = b.retryMaxBackoff;
    this.connectTimeout = b.connectTimeout;
    this.socketTimeout = b.socketTimeout;
    this.apiCallTimeout = b.apiCallTimeout;
    this.listLimit = b.listLimit;
    this.tenantPrefix = b.tenantPrefix;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.region = region;
    b.endpoint = endpoint;
    b.regionEndpoints.putAll(regionEndpoints);
    b.fips = fips;
    b.replicaRegions.addAll(replicaRegions);
    b.accessKeyIdRef = accessKeyIdRef;
    b.secretAccessKeyRef = secretAccessKeyRef;
    b.sessionTokenRef = sessionTokenRef;
    b.roleArn = roleArn;
    b.externalId = externalId;
    b.roleSessionName = roleSessionName;
    b.roleDuration = roleDuration;
    b.stsRegion = stsRegion;
    b.stsEndpoint = stsEndpoint;
    b.retryMaxAttempts = retryMaxAttempts;
    b.retryBaseDelay = retryBaseDelay;
    b.retryThrottlingBaseDelay = retryThrottlingBaseDelay;
    b.retryMaxBackoff = retryMaxBackoff;
    b.connectTimeout = connectTimeout;
    b.socketTimeout = socketTimeout;
    b.apiCallTimeout = apiCallTimeout;
    b.listLimit = listLimit;
    b.tenantPrefix = tenantPrefix;
    return b;
  }

  /**
   * Reads the settings of {@code config}. Unknown keys are logged (by name) and ignored, so a host
   * may keep its own keys next to these.
   *
   * @throws SecretException {@code CONFIGURATION} naming the setting that is wrong and the fix
   */
  public static AwsOptions fromConfig(ProviderConfig config) {
    Objects.requireNonNull(config, "config");
    String id = config.id();
    Builder b = builder();
    config.get(REGION).map(String::trim).ifPresent(r -> b.region(checkRegion(id, REGION, r)));
    config.get(ENDPOINT).ifPresent(e -> b.endpoint(uri(id, ENDPOINT, e)));
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(config.settings()).entrySet()) {
      String key = e.getKey();
      if (key.startsWith(ENDPOINT_PREFIX) && !e.getValue().isBlank()) {
        String r = checkRegion(id, key, key.substring(ENDPOINT_PREFIX.length()));
        b.regionEndpoint(r, uri(id, key, e.getValue()));
      } else if (!KEYS.contains(key)) {
        log.warn("AWS provider '{}' ignores the unknown setting '{}'", id, key);
      }
    }
    b.fips(config.flag(FIPS, false));
    config.get(REPLICA_REGIONS).ifPresent(
        list -> {
          for (String r : list.split(",")) {
            if (!r.isBlank()) {
              b.replicaRegion(checkRegion(id, REPLICA_REGIONS, r.trim()));
            }
          }
        });
    config.get(ACCESS_KEY_ID_REF).ifPresent(r -> b.accessKeyIdRef(ref(id, ACCESS_KEY_ID_REF, r)));
    config.get(SECRET_ACCESS_KEY_REF)
        .ifPresent(r -> b.secretAccessKeyRef(ref(id, SECRET_ACCESS_KEY_REF, r)));
    config.get(SESSION_TOKEN_REF).ifPresent(r -> b.sessionTokenRef(ref(id, SESSION_TOKEN_REF, r)));
    config.get(ROLE_ARN).map(String::trim).ifPresent(b::roleArn);
    config.get(EXTERNAL_ID).map(String::trim).ifPresent(b::externalId);
    config.get(ROLE_SESSION_NAME).map(String::trim).ifPresent(b::roleSessionName);
    b.roleDuration(config.duration(ROLE_DURATION, b.roleDuration));
    config.get(STS_REGION).map(String::trim).ifPresent(r -> b.stsRegion(checkRegion(id, STS_REGION, r)));
    config.get(STS_ENDPOINT).ifPresent(e -> b.stsEndpoint(uri(id, STS_ENDPOINT, e)));
    config.get(RETRY_MAX_ATTEMPTS).ifPresent(v -> b.retryMaxAttempts(integer(id, RETRY_MAX_ATTEMPTS, v)));
    b.retryBaseDelay(config.duration(RETRY_BASE_DELAY, b.retryBaseDelay));
    b.retryThrottlingBaseDelay(config.duration(RETRY_THROTTLING_BASE_DELAY, b.retryThrottlingBaseDelay));
    b.retryMaxBackoff(config.duration(RETRY_MAX_BACKOFF, b.retryMaxBackoff));
    b.connectTimeout(config.duration(CONNECT_TIMEOUT, b.connectTimeout));
    b.socketTimeout(config.duration(SOCKET_TIMEOUT, b.socketTimeout));
    b.apiCallTimeout(config.duration(API_CALL_TIMEOUT, b.apiCallTimeout));
    config.get(LIST_LIMIT).ifPresent(v -> b.listLimit(integer(id, LIST_LIMIT, v)));
    config.get(TENANT_PREFIX).map(String::trim).ifPresent(b::tenantPrefix);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw SecretException.configuration(
          "AWS provider '" + id + "': " + e.getMessage(),
          "Correct the settings of provider '" + id + "' (see the provider-aws README)");
    }
  }

  /** The provider's region, or null to use the SDK's default region chain. */
  public String region() {
    return region;
  }

  /** The endpoint override of the provider's region, or null. */
  public URI endpoint() {
    return endpoint;
  }

  /** Endpoint overrides by region ({@code endpoint.<region>} settings). */
  public Map<String, URI> regionEndpoints() {
    return regionEndpoints;
  }

  public boolean fips() {
    return fips;
  }

  /** Regions tried in order when the primary one is unavailable. */
  public List<String> replicaRegions() {
    return replicaRegions;
  }

  /** Null unless static credentials are configured. */
  public SecretRef accessKeyIdRef() {
    return accessKeyIdRef;
  }

  public SecretRef secretAccessKeyRef() {
    return secretAccessKeyRef;
  }

  public SecretRef sessionTokenRef() {
    return sessionTokenRef;
  }

  /** Whether the credentials are static keys held behind the bootstrap resolver. */
  public boolean staticCredentials() {
    return accessKeyIdRef != null;
  }

  public String roleArn() {
    return roleArn;
  }

  public String externalId() {
    return externalId;
  }

  public String roleSessionName() {
    return roleSessionName;
  }

  public Duration roleDuration() {
    return roleDuration;
  }

  public String stsRegion() {
    return stsRegion;
  }

  public URI stsEndpoint() {
    return stsEndpoint;
  }

  public int retryMaxAttempts() {
    return retryMaxAttempts;
  }

  public Duration retryBaseDelay() {
    return retryBaseDelay;
  }

  public Duration retryThrottlingBaseDelay() {
    return retryThrottlingBaseDelay;
  }

  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration socketTimeout() {
    return socketTimeout;
  }

  public Duration apiCallTimeout() {
    return apiCallTimeout;
  }

  /** The tenant name-prefix template with {@code {tenant}}, or null when tenants share names. */
  public String tenantPrefix() {
    return tenantPrefix;
  }

  public int listLimit() {
    return listLimit;
  }

  /** Every setting; none of them is a credential (static keys appear as references). */
  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put(REGION, region);
    shown.put(ENDPOINT, endpoint);
    if (!regionEndpoints.isEmpty()) {
      shown.put("regionEndpoints", new java.util.TreeMap<>(regionEndpoints));
    }
    shown.put(FIPS, fips);
    shown.put(REPLICA_REGIONS, replicaRegions);
    shown.put(ACCESS_KEY_ID_REF, accessKeyIdRef);
    shown.put(SECRET_ACCESS_KEY_REF, secretAccessKeyRef);
    shown.put(SESSION_TOKEN_REF, sessionTokenRef);
    shown.put(ROLE_ARN, roleArn);
    shown.put(EXTERNAL_ID, externalId == null ? null : "(set)");
    shown.put(ROLE_SESSION_NAME, roleSessionName);
    shown.put(RETRY_MAX_ATTEMPTS, retryMaxAttempts);
    shown.put(RETRY_BASE_DELAY, retryBaseDelay);
    shown.put(RETRY_THROTTLING_BASE_DELAY, retryThrottlingBaseDelay);
    shown.put(RETRY_MAX_BACKOFF, retryMaxBackoff);
    shown.put(API_CALL_TIMEOUT, apiCallTimeout);
    shown.values().removeIf(Objects::isNull);
    return "AwsOptions" + shown;
  }

  private static String checkRegion(String id, String key, String value) {
    if (!REGION_NAME.matcher(value).matches()) {
      throw SecretException.configuration(
          "setting '" + key + "' of provider '" + id + "' is not an AWS region name",
          "Write a region such as eu-west-1 or us-east-1");
    }
    return value;
  }

  private static URI uri(String id, String key, String value) {
    try {
      URI uri = new URI(value.trim());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "not an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw SecretException.configuration(
          "setting '" + key + "' of provider '" + id + "' is not an absolute http(s) URL",
          "Write it as https://host[:port], for example https://vpce-0abc.secretsmanager"
              + ".eu-west-1.vpce.amazonaws.com");
    }
  }

  private static SecretRef ref(String id, String key, String value) {
    try {
      return SecretRef.parse(value.trim());
    } catch (SecretException e) {
      throw SecretException.configuration(
          "setting '" + key + "' of provider '" + id + "' is not a secret reference: "
              + e.detail(),
          "Name the secret that holds the credential, for example platform:aws/keys#accessKeyId");
    }
  }

  private static int integer(String id, String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw SecretException.configuration(
          "setting '" + key + "' of provider '" + id + "' is not a whole number",
          "Write a whole number, for example 3");
    }
  }

  /** Builds {@link AwsOptions}; every setter checks its argument. */
  public static final class Builder {
    private String region;
    private URI endpoint;
    private final Map<String, URI> regionEndpoints = new LinkedHashMap<>();
    private boolean fips;
    private final List<String> replicaRegions = new ArrayList<>();
    private SecretRef accessKeyIdRef;
    private SecretRef secretAccessKeyRef;
    private SecretRef sessionTokenRef;
    private String roleArn;
    private String externalId;
    private String roleSessionName = DEFAULT_SESSION_NAME;
    private Duration roleDuration = Duration.ofHours(1);
    private String stsRegion;
    private URI stsEndpoint;
    private int retryMaxAttempts = 3;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Duration retryThrottlingBaseDelay = Duration.ofSeconds(1);
    private Duration retryMaxBackoff = Duration.ofSeconds(20);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(10);
    private Duration apiCallTimeout = Duration.ofSeconds(30);
    private int listLimit = 1000;
    private String tenantPrefix;

    private Builder() {}

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder regionEndpoint(String region, URI endpoint) {
      regionEndpoints.put(Objects.requireNonNull(region, "region"), Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    public Builder fips(boolean fips) {
      this.fips = fips;
      return this;
    }

    public Builder replicaRegion(String region) {
      Objects.requireNonNull(region, "region");
      if (!replicaRegions.contains(region)) {
        replicaRegions.add(region);
      }
      return this;
    }

    public Builder accessKeyIdRef(SecretRef ref) {
      this.accessKeyIdRef = ref;
      return this;
    }

    public Builder secretAccessKeyRef(SecretRef ref) {
      this.secretAccessKeyRef = ref;
      return this;
    }

    public Builder sessionTokenRef(SecretRef ref) {
      this.sessionTokenRef = ref;
      return this;
    }

    public Builder roleArn(String roleArn) {
      this.roleArn = roleArn;
      return this;
    }

    public Builder externalId(String externalId) {
      this.externalId = externalId;
      return this;
    }

    public Builder roleSessionName(String name) {
      this.roleSessionName = Objects.requireNonNull(name, "roleSessionName");
      return this;
    }

    public Builder roleDuration(Duration d) {
      this.roleDuration = Objects.requireNonNull(d, "roleDuration");
      return this;
    }

    public Builder stsRegion(String region) {
      this.stsRegion = region;
      return this;
    }

    public Builder stsEndpoint(URI endpoint) {
      this.stsEndpoint = endpoint;
      return this;
    }

    public Builder retryMaxAttempts(int attempts) {
      this.retryMaxAttempts = attempts;
      return this;
    }

    public Builder retryBaseDelay(Duration d) {
      this.retryBaseDelay = Objects.requireNonNull(d, "retryBaseDelay");
      return this;
    }

    public Builder retryThrottlingBaseDelay(Duration d) {
      this.retryThrottlingBaseDelay = Objects.requireNonNull(d, "retryThrottlingBaseDelay");
      return this;
    }

    public Builder retryMaxBackoff(Duration d) {
      this.retryMaxBackoff = Objects.requireNonNull(d, "retryMaxBackoff");
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
      return this;
    }

    public Builder socketTimeout(Duration d) {
      this.socketTimeout = Objects.requireNonNull(d, "socketTimeout");
      return this;
    }

    public Builder apiCallTimeout(Duration d) {
      this.apiCallTimeout = Objects.requireNonNull(d, "apiCallTimeout");
      return this;
    }

    public Builder listLimit(int limit) {
      this.listLimit = limit;
      return this;
    }

    /** See {@link AwsOptions#TENANT_PREFIX}; null lets tenants share names. */
    public Builder tenantPrefix(String template) {
      this.tenantPrefix = template;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting that breaks a rule
     */
    public AwsOptions build() {
      if ((accessKeyIdRef == null) != (secretAccessKeyRef == null)) {
        throw new IllegalArgumentException(
            "static credentials need both '" + ACCESS_KEY_ID_REF + "' and '"
                + SECRET_ACCESS_KEY_REF + "'");
      }
      if (sessionTokenRef != null && accessKeyIdRef == null) {
        throw new IllegalArgumentException(
            "'" + SESSION_TOKEN_REF + "' needs '" + ACCESS_KEY_ID_REF + "' and '"
                + SECRET_ACCESS_KEY_REF + "'");
      }
      if (roleArn != null && !ROLE_ARN_PATTERN.matcher(roleArn).matches()) {
        throw new IllegalArgumentException(
            "'" + ROLE_ARN + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/name)");
      }
      if (roleArn == null && (externalId != null || stsEndpoint != null || stsRegion != null)) {
        throw new IllegalArgumentException(
            "'" + EXTERNAL_ID + "', '" + STS_REGION + "' and '" + STS_ENDPOINT + "' need '"
                + ROLE_ARN + "'");
      }
      if (externalId != null && !EXTERNAL_ID_PATTERN.matcher(externalId).matches()) {
        throw new IllegalArgumentException(
            "'" + EXTERNAL_ID + "' must be 2 to 1224 letters, digits or +=,.@:/-");
      }
      if (!SESSION_NAME.matcher(roleSessionName).matches()) {
        throw new IllegalArgumentException(
            "'" + ROLE_SESSION_NAME + "' must be 2 to 64 letters, digits or +=,.@-");
      }
      if (roleDuration.compareTo(Duration.ofMinutes(15)) < 0
          || roleDuration.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException(
            "'" + ROLE_DURATION + "' must be between 15 minutes and 12 hours");
      }
      if (retryMaxAttempts < 1 || retryMaxAttempts > 20) {
        throw new IllegalArgumentException("'" + RETRY_MAX_ATTEMPTS + "' must be 1 to 20");
      }
      requirePositive(RETRY_BASE_DELAY, retryBaseDelay, true);
      requirePositive(RETRY_THROTTLING_BASE_DELAY, retryThrottlingBaseDelay, true);
      requirePositive(RETRY_MAX_BACKOFF, retryMaxBackoff, true);
      requirePositive(CONNECT_TIMEOUT, connectTimeout, false);
      requirePositive(SOCKET_TIMEOUT, socketTimeout, false);
      requirePositive(API_CALL_TIMEOUT, apiCallTimeout, false);
      if (listLimit < 1) {
        throw new IllegalArgumentException("'" + LIST_LIMIT + "' must be at least 1");
      }
      // '/' after the tenant: tenant ids cannot contain one, so no tenant's names can fall
      // under another's prefix ('a' + "-b/x" against 'a-b' + "/x").
      if (tenantPrefix != null && !tenantPrefix.contains("{tenant}/")) {
        throw new IllegalArgumentException(
            "'" + TENANT_PREFIX + "' must contain {tenant}/, e.g. tenants/{tenant}/");
      }
      Set<String> dup = new TreeSet<>();
      if (region != null && replicaRegions.contains(region)) {
        dup.add(region);
      }
      if (!dup.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + REPLICA_REGIONS + "' repeats the provider's own region " + dup);
      }
      return new AwsOptions(this);
    }

    private static void requirePositive(String key, Duration d, boolean zeroAllowed) {
      if (d.isNegative() || (!zeroAllowed && d.isZero())) {
        throw new IllegalArgumentException(
            "'" + key + "' must be " + (zeroAllowed ? "zero or more" : "more than zero"));
      }
    }
  }
}
