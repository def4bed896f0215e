package io.secretfetch.aws;

import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretMetadata;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.internal.AwsClients;
import io.secretfetch.aws.internal.AwsErrors;
import io.secretfetch.aws.internal.AwsErrors.Operation;
import io.secretfetch.aws.internal.SecretAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * Reads secrets from AWS Secrets Manager through the AWS SDK for Java v2 (HTTP over the JDK's
 * {@code HttpURLConnection}; no Netty).
 *
 * <h2>References</h2>
 *
 * <pre>
 *   aws:prod/db                                          by name, current version
 *   aws:arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf   by ARN
 *   aws:prod/db@AWSPREVIOUS                              an AWS staging label
 *   aws:prod/db@stage:blue                               a custom staging label
 *   aws:prod/db@a1b2c3d4-5678-90ab-cdef-EXAMPLE11111     a version id
 *   aws:prod/db#password                                 field of a JSON secret (the resolver selects it)
 * </pre>
 *
 * <ul>
 *   <li><b>Version:</b> none sends {@code VersionStage=AWSCURRENT} explicitly (some cross-account
 *       policies require it); {@code AWSCURRENT}, {@code AWSPREVIOUS}, {@code AWSPENDING} and
 *       {@code stage:LABEL} send {@code VersionStage}; anything else is sent as {@code VersionId}
 *       (32 to 64 characters). Only a version id is {@linkplain #immutable immutable}: labels move.
 *       The resolved {@link SecretValue#version()} is always the {@code VersionId} AWS returned.
 *   <li><b>Region:</b> an ARN's own region, else the provider's {@code region}. For another region
 *       by name, configure a second provider (e.g. {@code aws-us}) with its own region.
 *   <li><b>Failover:</b> when a region is unavailable (5xx, I/O, time-out, after the SDK's retries)
 *       the {@code replicaRegions} are tried in order; an ARN is rewritten to the replica's region.
 *       Not-found, access-denied and throttling answers are final.
 *   <li><b>Values:</b> {@code SecretString} becomes a text value, {@code SecretBinary} a binary
 *       one.
 *   <li><b>Tenants:</b> this provider does not partition by {@link SecretContext#tenantId()}: every
 *       tenant that may route to it reads the same account. Give each tenant its own provider id
 *       and IAM identity where tenants must not share secrets.
 * </ul>
 *
 * <h2>Checks and listing</h2>
 *
 * <p>{@link #check} sends unpinned references to {@code BatchGetSecretValue}, 20 at a time, and
 * throws the returned values away unread (the SDK has parsed them; this class keeps, logs and
 * registers none of them). Pinned references go to {@code DescribeSecret}, which proves that the
 * version or label exists and that the secret is not scheduled for deletion, but not that {@code
 * GetSecretValue} is allowed. {@link #list} pages through {@code ListSecrets} with a name filter
 * and returns names and non-secret metadata, sorted by name, at most {@code listLimit}.
 *
 * <p>Safe for concurrent use. Failures are {@link SecretException}s naming the AWS error code,
 * request id, region and the IAM action to grant; never a response body.
 */
public final class AwsSecretsManagerProvider implements SecretProvider {
  private static final Logger log = LoggerFactory.getLogger(AwsSecretsManagerProvider.class);

  /** {@code BatchGetSecretValue} accepts at most this many ids per call. */
  static final int BATCH_SIZE = 20;
  private static final int LIST_PAGE_SIZE = 100;
  private static final String DEFAULT_TENANT = "default";
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String id;
  private final AwsOptions options;
  private final AwsClients clients;
  private final Clock clock;

  /**
   * Builds a provider. Nothing is resolved or called yet: static keys are read through {@code
   * bootstrap} on the first request.
   *
   * @param id the routing id
   * @param options the settings
   * @param bootstrap resolves the static keys; may be null when none are configured
   * @throws SecretException {@code CONFIGURATION} when no region can be found or a key reference
   *     names a provider that is not configured
   */
  public AwsSecretsManagerProvider(String id, AwsOptions options, BootstrapSecrets bootstrap) {
    this(id, options, bootstrap, Clock.systemUTC());
  }

  AwsSecretsManagerProvider(String id, AwsOptions options, BootstrapSecrets bootstrap, Clock clock) {
    if (!SecretRef.isValidProviderId(id)) {
      throw SecretException.configuration(
          "provider id '" + id + "' is not valid",
          "Use 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter");
    }
    this.id = id;
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clients = new AwsClients(id, options, bootstrap);
  }

  @Override
  public String id() {
    return id;
  }

  /** The settings this provider was built with. */
  public AwsOptions options() {
    return options;
  }

  @Override
  public SecretValue fetch(SecretRef ref, SecretContext context) {
    Objects.requireNonNull(ref, "ref");
    SecretAddress address = SecretAddress.of(scoped(ref, context));
    String region = regionOf(address);
    GetSecretValueResponse response =
        clients.call(
            ref,
            address,
            region,
            Operation.GET_SECRET_VALUE,
            (client, r) ->
                client.getSecretValue(
                    b -> {
                      b.secretId(address.secretIdIn(r));
                      if (address.versionId() != null) {
                        b.versionId(address.versionId());
                      } else {
                        b.versionStage(address.versionStage());
                      }
                    }));
    String version = response.versionId() != null ? response.versionId() : address.versionStage();
    SecretMetadata metadata = new SecretMetadata(ref, version, clock.instant(), null);
    log.debug("Fetched secret '{}' (version {}) from AWS", ref, version);
    if (response.secretString() != null) {
      return SecretValue.ofText(metadata, response.secretString());
    }
    if (response.secretBinary() != null) {
      byte[] bytes = response.secretBinary().asByteArrayUnsafe();
      try {
        return SecretValue.ofBytes(metadata, bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    throw SecretException.malformedValue(
        ref,
        "AWS returned version " + version + " with neither SecretString nor SecretBinary",
        "Put a value into the secret (aws secretsmanager put-secret-value)");
  }

  @Override
  public Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    Objects.requireNonNull(refs, "refs");
    Map<SecretRef, SecretCheck> out = new LinkedHashMap<>();
    Map<String, List<Item>> batchByRegion = new LinkedHashMap<>();
    List<Item> describe = new ArrayList<>();
    for (SecretRef ref : refs) {
      if (out.containsKey(ref)) {
        continue;
      }
      out.put(ref, null);
      SecretAddress address;
      try {
        address = SecretAddress.of(scoped(ref, context));
      } catch (SecretException e) {
        out.put(ref, SecretCheck.failed(ref, e));
        continue;
      }
      Item item = new Item(ref, address, regionOf(address));
      if (address.pinned()) {
        describe.add(item);
      } else {
        batchByRegion.computeIfAbsent(item.region, r -> new ArrayList<>()).add(item);
      }
    }
    Map<String, SecretException> regionDown = new HashMap<>();
    batchByRegion.forEach(
        (region, items) -> {
          for (int from = 0; from < items.size(); from += BATCH_SIZE) {
            List<Item> chunk = items.subList(from, Math.min(items.size(), from + BATCH_SIZE));
            checkChunk(region, chunk, out, describe, regionDown);
          }
        });
    for (Item item : describe) {
      SecretException down = regionDown.get(item.region);
      if (down != null) {
        out.put(item.ref, SecretCheck.failed(item.ref, retarget(down, item.ref)));
        continue;
      }
      try {
        describeCheck(item);
        out.put(item.ref, SecretCheck.ok(item.ref));
      } catch (SecretException e) {
        if (e.retryable()) {
          regionDown.put(item.region, e);
        }
        out.put(item.ref, SecretCheck.failed(item.ref, e));
      }
    }
    return out;
  }

  private record Item(SecretRef ref, SecretAddress address, String region) {}

  /** Names and ARNs found, and per-item errors, of one batch; never a value. */
  private record BatchOutcome(List<String[]> found, List<APIErrorType> errors, String region) {}

  private void checkChunk(
      String region,
      List<Item> chunk,
      Map<SecretRef, SecretCheck> out,
      List<Item> describe,
      Map<String, SecretException> regionDown) {
    SecretException down = regionDown.get(region);
    if (down != null) {
      chunk.forEach(i -> out.put(i.ref, SecretCheck.failed(i.ref, retarget(down, i.ref))));
      return;
    }
    BatchOutcome outcome;
    try {
      outcome =
          clients.call(
              null,
              null,
              region,
              Operation.BATCH_GET_SECRET_VALUE,
              (client, r) -> {
                List<String> ids = chunk.stream().map(i -> i.address.secretIdIn(r)).toList();
                List<String[]> found = new ArrayList<>();
                List<APIErrorType> errors = new ArrayList<>();
                String token = null;
                do {
                  String next = token;
                  BatchGetSecretValueResponse page =
                      client.batchGetSecretValue(b -> b.secretIdList(ids).nextToken(next));
                  for (SecretValueEntry e : page.secretValues()) {
                    // Only the name and ARN leave this loop; the value is dropped with the page.
                    found.add(new String[] {e.name(), e.arn()});
                  }
                  errors.addAll(page.errors());
                  token = page.nextToken();
                } while (token != null);
                return new BatchOutcome(found, errors, r);
              });
    } catch (SecretException e) {
      if (e.retryable()) {
        regionDown.put(region, e);
      }
      chunk.forEach(i -> out.put(i.ref, SecretCheck.failed(i.ref, retarget(e, i.ref))));
      return;
    }
    for (Item item : chunk) {
      String sent = item.address.secretIdIn(outcome.region);
      APIErrorType error = null;
      for (APIErrorType e : outcome.errors) {
        if (sent.equals(e.secretId())) {
          error = e;
          break;
        }
      }
      if (error != null) {
        String facts =
            "AWS answered " + error.errorCode() + " for this secret in BatchGetSecretValue in "
                + outcome.region;
        out.put(
            item.ref,
            SecretCheck.failed(
                item.ref,
                AwsErrors.mapCode(
                    error.errorCode(), error.message(), 0, false, item.ref, item.address,
                    Operation.GET_SECRET_VALUE, outcome.region, sent, facts)));
      } else if (outcome.found.stream().anyMatch(f -> matches(sent, f[0], f[1]))) {
        out.put(item.ref, SecretCheck.ok(item.ref));
      } else {
        // AWS said nothing about this id: ask about it alone.
        describe.add(item);
      }
    }
  }

  private static boolean matches(String sent, String name, String arn) {
    return sent.equals(name)
        || sent.equals(arn)
        || (arn != null && sent.startsWith("arn:") && arn.startsWith(sent + "-"));
  }

  private void describeCheck(Item item) {
    SecretAddress a = item.address;
    DescribeSecretResponse d =
        clients.call(
            item.ref,
            a,
            item.region,
            Operation.DESCRIBE_SECRET,
            (client, r) -> client.describeSecret(b -> b.secretId(a.secretIdIn(r))));
    if (d.deletedDate() != null) {
      throw SecretException.deleted(
          item.ref,
          "the secret is scheduled for deletion (deleted on " + d.deletedDate() + ")",
          "Restore it (aws secretsmanager restore-secret --secret-id " + a.secretId()
              + ", needs secretsmanager:RestoreSecret), or bind the slot to another secret");
    }
    Map<String, List<String>> versions = d.versionIdsToStages();
    boolean present =
        a.versionId() != null
            ? versions.containsKey(a.versionId())
            : versions.values().stream().anyMatch(stages -> stages.contains(a.versionStage()));
    if (!present) {
      throw SecretException.versionNotFound(
          item.ref,
          "the secret has no " + a.describeVersion() + " (it has " + versions.size()
              + " version(s))",
          "Pin a version id or staging label that the secret has (aws secretsmanager"
              + " list-secret-version-ids --secret-id " + a.secretId() + "), or remove the pin");
    }
  }

  @Override
  public List<SecretSummary> list(String prefix, SecretContext context) {
    String tenantPrefix = options.tenantPrefix() == null ? "" : tenantPrefix(context);
    String p = tenantPrefix + (prefix == null ? "" : prefix);
    int limit = options.listLimit();
    List<SecretSummary> out =
        clients.call(
            null,
            null,
            clients.primaryRegion(),
            Operation.LIST_SECRETS,
            (client, r) -> {
              List<SecretSummary> found = new ArrayList<>();
              String token = null;
              do {
                String next = token;
                ListSecretsResponse page =
                    client.listSecrets(
                        b -> {
                          b.maxResults(LIST_PAGE_SIZE).nextToken(next);
                          if (!p.isEmpty()) {
                            b.filters(
                                Filter.builder().key(FilterNameStringType.NAME).values(p).build());
                          }
                        });
                for (SecretListEntry e : page.secretList()) {
                  // AWS matches name prefixes case-insensitively; references are case-sensitive.
                  if (e.name() != null && e.name().startsWith(p) && found.size() < limit) {
                    found.add(summary(e, e.name().substring(tenantPrefix.length())));
                  }
                }
                token = page.nextToken();
              } while (token != null && found.size() < limit);
              return found;
            });
    out.sort(Comparator.comparing(SecretSummary::name));
    return out;
  }

  /**
   * The reference as AWS sees it: with {@code tenantPrefix} set, the name under the tenant's own
   * prefix, so no tenant can name another's secret; ARNs are refused there, since they name a
   * secret wherever it is.
   */
  private SecretRef scoped(SecretRef ref, SecretContext context) {
    if (options.tenantPrefix() == null) {
      return ref;
    }
    if (ref.name().startsWith("arn:")) {
      throw SecretException.invalidReference(
          ref,
          "provider '" + id + "' confines tenants to name prefixes ('tenantPrefix'), so a secret"
              + " cannot be named by its ARN",
          "Refer to the secret by its name, without the tenant prefix");
    }
    return new SecretRef(
        ref.provider(), tenantPrefix(context) + ref.name(), ref.version(), ref.field());
  }

  private String tenantPrefix(SecretContext context) {
    String tenant = context.tenantId() == null ? DEFAULT_TENANT : context.tenantId();
    if (!TENANT_ID.matcher(tenant).matches()) {
      throw SecretException.accessDenied(
          "tenant id '" + tenant + "' cannot be confined to a secret name prefix",
          "Use tenant ids of letters, digits, '.', '_' and '-' with provider '" + id + "'");
    }
    return options.tenantPrefix().replace("{tenant}", tenant);
  }

  private static SecretSummary summary(SecretListEntry e, String name) {
    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, "arn", e.arn());
    put(attributes, "createdDate", e.createdDate());
    put(attributes, "lastAccessedDate", e.lastAccessedDate());
    put(attributes, "rotationEnabled", e.rotationEnabled());
    put(attributes, "nextRotationDate", e.nextRotationDate());
    put(attributes, "primaryRegion", e.primaryRegion());
    put(attributes, "owningService", e.owningService());
    if (e.hasSecretVersionsToStages()) {
      e.secretVersionsToStages().forEach(
          (version, stages) -> {
            if (stages.contains(SecretAddress.CURRENT)) {
              attributes.put("currentVersion", version);
            }
          });
    }
    if (e.hasTags()) {
      e.tags().forEach(t -> put(attributes, "tag." + t.key(), t.value()));
    }
    return new SecretSummary(name, e.description(), e.lastChangedDate(), attributes);
  }

  private static void put(Map<String, String> map, String key, Object value) {
    if (value != null) {
      map.put(key, value instanceof Instant i ? i.toString() : value.toString());
    }
  }

  /** True only for a reference pinned to a {@code VersionId}; staging labels move. */
  @Override
  public boolean immutable(SecretRef ref) {
    try {
      return SecretAddress.of(ref).immutable();
    } catch (SecretException e) {
      return false;
    }
  }

  @Override
  public void close() {
    clients.close();
  }

  @Override
  public String toString() {
    return "AwsSecretsManagerProvider[" + id + ", " + options + "]";
  }

  private String regionOf(SecretAddress address) {
    return address.arnRegion() != null ? address.arnRegion() : clients.primaryRegion();
  }

  private static SecretException retarget(SecretException e, SecretRef ref) {
    return Objects.equals(e.ref(), ref) ? e : e.withRef(ref);
  }
}
