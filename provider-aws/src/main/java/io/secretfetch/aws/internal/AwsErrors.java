package io.secretfetch.aws.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Maps what the SDK throws onto {@link SecretException}s. Messages carry the AWS error code, the
 * HTTP status, the request id, the operation and the region, never the service's message text or
 * any response body: those are logged nowhere and attached as no cause.
 */
public final class AwsErrors {

  /** The Secrets Manager operations the provider calls, with the IAM action each needs. */
  public enum Operation {
    GET_SECRET_VALUE("GetSecretValue"),
    BATCH_GET_SECRET_VALUE("BatchGetSecretValue"),
    DESCRIBE_SECRET("DescribeSecret"),
    LIST_SECRETS("ListSecrets");

    private final String apiName;

    Operation(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }

    public String iamAction() {
      return "secretsmanager:" + apiName;
    }
  }

  /** Codes AWS uses when it refuses the credentials themselves rather than the request. */
  private static final Set<String> CREDENTIAL_CODES =
      Set.of(
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "MissingAuthenticationToken",
          "ExpiredTokenException",
          "ExpiredToken",
          "InvalidToken",
          "RequestExpired");

  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of("AccessDeniedException", "AccessDenied");

  private AwsErrors() {}

  /** Whether AWS refused the credentials (a rotated or revoked key, a bad signature). */
  public static boolean credentialsRejected(Throwable e) {
    return e instanceof AwsServiceException ase
        && ase.awsErrorDetails() != null
        && ase.awsErrorDetails().errorCode() != null
        && CREDENTIAL_CODES.contains(ase.awsErrorDetails().errorCode());
  }

  /**
   * Maps a failed call.
   *
   * @param e what the SDK threw
   * @param ref the reference concerned, or null (list)
   * @param address where it pointed, or null (list, batch)
   * @param op the operation called
   * @param region the region called
   * @param target the secret id or ARN as sent, for remedies; null for list
   */
  public static SecretException map(
      RuntimeException e,
      SecretRef ref,
      SecretAddress address,
      Operation op,
      String region,
      String target) {
    SecretException inner = findSecretException(e);
    if (inner != null) {
      // The bootstrap resolver failed to produce the static keys.
      SecretError code = inner.retryable() ? SecretError.PROVIDER_UNAVAILABLE : SecretError.CONFIGURATION;
      return new SecretException(
          code,
          ref,
          "the AWS credentials could not be resolved: " + inner.detail(),
          inner.remedy(),
          inner);
    }
    StsException sts = findCause(e, StsException.class);
    if (sts != null) {
      return mapSts(sts, ref);
    }
    if (e instanceof SdkServiceException sse) {
      String code =
          sse instanceof AwsServiceException ase && ase.awsErrorDetails() != null
              ? ase.awsErrorDetails().errorCode()
              : null;
      String message =
          sse instanceof AwsServiceException ase && ase.awsErrorDetails() != null
              ? ase.awsErrorDetails().errorMessage()
              : null;
      String facts =
          "AWS answered " + (code == null ? "an error" : code) + " (HTTP " + sse.statusCode()
              + (sse.requestId() == null ? "" : ", request id " + sse.requestId()) + ") to "
              + op.apiName() + " in " + region;
      return mapCode(
          code, message, sse.statusCode(), sse.isThrottlingException(), ref, address, op, region,
          target, facts);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return SecretException.providerUnavailable(
          ref,
          op.apiName() + " in " + region + " timed out",
          unavailableRemedy(region));
    }
    if (e instanceof SdkClientException) {
      if (isIo(e)) {
        return SecretException.providerUnavailable(
            ref,
            "could not reach Secrets Manager in " + region + " for " + op.apiName() + " ("
                + ioName(e) + ")",
            unavailableRemedy(region));
      }
      String text = String.valueOf(e.getMessage());
      if (text.contains("Unable to load credentials") || text.contains("Unable to load region")) {
        return SecretException.configuration(
            ref,
            "no AWS credentials were found in the SDK's default chain",
            "Give the engine an IAM role (instance profile, ECS task role, IRSA), set AWS_*"
                + " environment variables, or set accessKeyIdRef and secretAccessKeyRef");
      }
      return SecretException.providerUnavailable(
          ref,
          op.apiName() + " in " + region + " failed in the AWS SDK ("
              + e.getClass().getSimpleName() + ")",
          unavailableRemedy(region));
    }
    if (e instanceof AbortedException) {
      return SecretException.providerUnavailable(
          ref, op.apiName() + " was interrupted",
          "Retry; the calling thread was interrupted");
    }
    if (e instanceof UncheckedIOException) {
      return SecretException.providerUnavailable(
          ref,
          "could not reach Secrets Manager in " + region + " (" + ioName(e) + ")",
          unavailableRemedy(region));
    }
    return SecretException.providerUnavailable(
        ref,
        op.apiName() + " in " + region + " failed unexpectedly (" + e.getClass().getName() + ")",
        unavailableRemedy(region));
  }

  /**
   * Maps an AWS error code, as a whole-call exception or a per-item {@code BatchGetSecretValue}
   * error carries it.
   *
   * @param message the service's message, used only to tell "scheduled for deletion" and "no such
   *     version" apart, never copied into the result
   */
  public static SecretException mapCode(
      String code,
      String message,
      int status,
      boolean throttling,
      SecretRef ref,
      SecretAddress address,
      Operation op,
      String region,
      String target,
      String facts) {
    String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
    String what = target == null ? "the secrets" : target;
    if (throttling || "ThrottlingException".equals(code) || status == 429) {
      return SecretException.throttled(
          ref,
          facts,
          "Retry later, raise the Secrets Manager request quota for " + op.apiName() + " in "
              + region + ", or lengthen this provider's cache time to live");
    }
    if (code == null) {
      code = "";
    }
    switch (code) {
      case "ResourceNotFoundException":
        if (op == Operation.GET_SECRET_VALUE
            && address != null
            && address.pinned()
            && !wholeSecretMissing(lower)) {
          return SecretException.versionNotFound(
              ref,
              facts + ": " + what + " has no " + address.describeVersion(),
              "Pin a version id or staging label that the secret has (aws secretsmanager"
                  + " list-secret-version-ids --secret-id " + what + "), or remove the pin");
        }
        return SecretException.notFound(
            ref,
            facts + ": no secret " + what,
            "Create the secret in " + region + ", or correct the name (names are case-sensitive;"
                + " a secret of another account needs its full ARN)");
      case "AccessDeniedException":
      case "AccessDenied":
        String action =
            op == Operation.BATCH_GET_SECRET_VALUE
                ? "secretsmanager:BatchGetSecretValue (on *) and secretsmanager:GetSecretValue on "
                    + what
                : op.iamAction() + (target == null ? " (on *)" : " on " + what);
        return SecretException.accessDenied(
            ref,
            facts,
            "Grant " + action + " to the identity this provider uses (and kms:Decrypt on the"
                + " secret's KMS key if it is a customer managed key)");
      case "DecryptionFailure":
        return SecretException.decryptionFailed(
            ref,
            facts + ": the secret's KMS key refused to decrypt it",
            "Grant kms:Decrypt on the KMS key that encrypts " + what + " to the identity this"
                + " provider uses, and check that the key is enabled");
      case "InvalidRequestException":
        if (lower.contains("deletion") || lower.contains("deleted")) {
          return SecretException.deleted(
              ref,
              facts + ": the secret is scheduled for deletion",
              "Restore it (aws secretsmanager restore-secret --secret-id " + what
                  + ", needs secretsmanager:RestoreSecret), or bind the slot to another secret");
        }
        return SecretException.invalidReference(
            ref,
            facts,
            "Check that the secret can be read in its current state (for example that it is"
                + " not being replicated) and that the reference is right");
      case "InvalidParameterException":
      case "ValidationException":
        return SecretException.invalidReference(
            ref,
            facts + ": AWS rejected the secret id or version",
            "Write aws:NAME or aws:ARN, optionally @VERSION_ID, @AWSPREVIOUS or @stage:LABEL");
      case "InternalServiceError":
      case "InternalFailure":
      case "ServiceUnavailable":
        return SecretException.providerUnavailable(
            ref, facts, unavailableRemedy(region));
      default:
        break;
    }
    if (CREDENTIAL_CODES.contains(code)) {
      return SecretException.accessDenied(
          ref,
          facts + ": AWS refused the credentials",
          "Check the access keys or role this provider uses: they may be rotated, revoked,"
              + " expired, or the host clock may be off");
    }
    if (ACCESS_DENIED_CODES.contains(code) || status == 403) {
      return SecretException.accessDenied(
          ref,
          facts,
          "Grant " + op.iamAction() + " on " + what + " to the identity this provider uses");
    }
    return SecretException.providerUnavailable(ref, facts, unavailableRemedy(region));
  }

  /** AWS says "can't find the specified secret." when the secret itself is missing. */
  private static boolean wholeSecretMissing(String lowerMessage) {
    return lowerMessage.contains("find the specified secret.")
        || lowerMessage.endsWith("find the specified secret");
  }

  private static SecretException mapSts(StsException e, SecretRef ref) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String facts =
        "STS answered " + (code == null ? "an error" : code) + " (HTTP " + e.statusCode()
            + (e.requestId() == null ? "" : ", request id " + e.requestId()) + ") to AssumeRole";
    if (e.isThrottlingException()) {
      return SecretException.throttled(ref, facts, "Retry later");
    }
    if (e.statusCode() >= 500) {
      return SecretException.providerUnavailable(
          ref, facts, "Check that STS is reachable, then retry");
    }
    if (e.statusCode() == 403 || "AccessDenied".equals(code)) {
      return SecretException.accessDenied(
          ref,
          facts,
          "Allow sts:AssumeRole on the role for the base identity, and check that the role's"
              + " trust policy accepts the configured external id");
    }
    if (code != null && CREDENTIAL_CODES.contains(code)) {
      return SecretException.accessDenied(
          ref,
          facts + ": STS refused the base credentials",
          "Check the access keys used to assume the role");
    }
    return SecretException.configuration(
        ref,
        facts,
        "Check roleArn, externalId, roleSessionName and roleDuration, and that STS is enabled in"
            + " the region");
  }

  private static String unavailableRemedy(String region) {
    return "Check network access to Secrets Manager in " + region
        + " (endpoint, proxy, VPC endpoint) and the AWS Health Dashboard, or configure"
        + " replicaRegions; the resolver serves the last value meanwhile if stale-on-error is on";
  }

  private static boolean isIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String ioName(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t.getClass().getName();
      }
    }
    return e.getClass().getName();
  }

  private static SecretException findSecretException(Throwable e) {
    return findCause(e, SecretException.class);
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
