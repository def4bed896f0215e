package io.secretfetch.platform.store;

/** The limits the store enforces; a write that breaks one fails with {@code INVALID_INPUT}. */
public final class StoreLimits {
  /** Longest secret name, in characters. */
  public static final int MAX_NAME_LENGTH = 255;
  /** Largest value, in bytes (64 KiB). */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  /** Most tags per secret. */
  public static final int MAX_TAGS = 50;
  public static final int MAX_TAG_KEY_LENGTH = 128;
  public static final int MAX_TAG_VALUE_LENGTH = 256;
  public static final int MAX_DESCRIPTION_LENGTH = 1024;
  public static final int MAX_OWNER_LENGTH = 255;
  public static final int MAX_TENANT_LENGTH = 255;
  /** Most secrets one {@link PlatformSecretStore#createAll} call writes. */
  public static final int MAX_BATCH = 10_000;

  private StoreLimits() {}
}
