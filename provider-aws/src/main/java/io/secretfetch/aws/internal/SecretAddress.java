package io.secretfetch.aws.internal;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.Set;

/**
 * Where a {@link SecretRef} points in Secrets Manager: the {@code SecretId} (a name or an ARN), the
 * region an ARN names, and the version selector.
 *
 * <p>Version convention: no version means {@code VersionStage=AWSCURRENT} (sent explicitly); the
 * AWS-managed labels {@code AWSCURRENT}, {@code AWSPREVIOUS} and {@code AWSPENDING} and any {@code
 * stage:LABEL} select a staging label; anything else is a {@code VersionId}.
 *
 * @param secretId the name or ARN as written in the reference
 * @param arnRegion the region of an ARN, or null for a name
 * @param versionId the pinned version id, or null
 * @param versionStage the staging label, never null when {@code versionId} is null
 */
public record SecretAddress(String secretId, String arnRegion, String versionId, String versionStage) {

  public static final String CURRENT = "AWSCURRENT";
  public static final String STAGE_PREFIX = "stage:";
  private static final Set<String> AWS_STAGES = Set.of(CURRENT, "AWSPREVIOUS", "AWSPENDING");
  private static final int MAX_NAME = 512;
  private static final int MAX_ARN = 2048;
  private static final int MAX_STAGE = 256;

  /**
   * Reads a reference.
   *
   * @throws SecretException {@code INVALID_REFERENCE} for a name AWS would refuse or a malformed ARN
   */
  public static SecretAddress of(SecretRef ref) {
    String name = ref.name();
    String region = null;
    if (name.startsWith("arn:")) {
      region = arnRegion(ref, name);
    } else {
      checkName(ref, name);
    }
    String version = ref.version();
    if (version == null) {
      return new SecretAddress(name, region, null, CURRENT);
    }
    if (AWS_STAGES.contains(version)) {
      return new SecretAddress(name, region, null, version);
    }
    if (version.startsWith(STAGE_PREFIX)) {
      String label = version.substring(STAGE_PREFIX.length());
      if (label.isEmpty() || label.length() > MAX_STAGE) {
        throw invalid(ref, "the staging label after 'stage:' must be 1 to 256 characters");
      }
      return new SecretAddress(name, region, null, label);
    }
    if (version.length() < 32 || version.length() > 64) {
      throw invalid(
          ref,
          "version '" + version + "' is neither a staging label (AWSCURRENT, AWSPREVIOUS,"
              + " AWSPENDING, stage:LABEL) nor a version id (32 to 64 characters)");
    }
    return new SecretAddress(name, region, version, null);
  }

  /** Whether a staging label or version id was asked for, rather than the current version. */
  public boolean pinned() {
    return versionId != null || !CURRENT.equals(versionStage);
  }

  /** Whether the value behind this address can never change: only a version id is. */
  public boolean immutable() {
    return versionId != null;
  }

  /** What the reference asked for, for messages: {@code version id X} or {@code staging label X}. */
  public String describeVersion() {
    return versionId != null ? "version id " + versionId : "staging label " + versionStage;
  }

  /**
   * The {@code SecretId} to send to {@code region}: a name as is; an ARN with its region replaced,
   * since a replica keeps the primary's name and suffix.
   */
  public String secretIdIn(String region) {
    if (arnRegion == null || arnRegion.equals(region)) {
      return secretId;
    }
    String[] parts = secretId.split(":", 7);
    parts[3] = region;
    return String.join(":", parts);
  }

  private static String arnRegion(SecretRef ref, String arn) {
    if (arn.length() > MAX_ARN) {
      throw invalid(ref, "the ARN is longer than " + MAX_ARN + " characters");
    }
    String[] parts = arn.split(":", 7);
    if (parts.length != 7
        || !parts[1].startsWith("aws")
        || !parts[2].equals("secretsmanager")
        || parts[3].isEmpty()
        || !parts[4].matches("\\d{12}")
        || !parts[5].equals("secret")
        || parts[6].isEmpty()) {
      throw invalid(
          ref,
          "the name starts with 'arn:' but is not a Secrets Manager secret ARN"
              + " (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)");
    }
    if (!parts[3].matches("[a-z]{2}(-[a-z0-9]+)+-\\d+")) {
      throw invalid(ref, "the ARN's region '" + parts[3] + "' is not an AWS region name");
    }
    return parts[3];
  }

  private static void checkName(SecretRef ref, String name) {
    if (name.length() > MAX_NAME) {
      throw invalid(ref, "the name is longer than " + MAX_NAME + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "/_+=.@-".indexOf(c) >= 0;
      if (!ok) {
        String shown = Character.isISOControl(c) || Character.isWhitespace(c)
            ? String.format("U+%04X", (int) c)
            : "'" + c + "'";
        throw invalid(
            ref,
            "character " + shown + " at position " + i + " is not allowed in a Secrets Manager"
                + " name (letters, digits and /_+=.@-)");
      }
    }
  }

  private static SecretException invalid(SecretRef ref, String detail) {
    return SecretException.invalidReference(
        ref,
        detail,
        "Write aws:NAME or aws:ARN, optionally @VERSION_ID, @AWSPREVIOUS or @stage:LABEL");
  }
}
