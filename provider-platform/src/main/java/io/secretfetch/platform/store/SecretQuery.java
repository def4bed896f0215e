package io.secretfetch.platform.store;

/**
 * Filters and paging for {@link PlatformSecretStore#list}. Immutable; every method returns a
 * changed copy. Results are sorted by name; paging is by name, so it stays stable while secrets
 * are created or deleted.
 */
public final class SecretQuery {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  private final String prefix;
  private final String tagKey;
  private final String tagValue;
  private final SecretCategory category;
  private final boolean includeDeleted;
  private final int pageSize;
  private final String pageToken;

  private SecretQuery(
      String prefix,
      String tagKey,
      String tagValue,
      SecretCategory category,
      boolean includeDeleted,
      int pageSize,
      String pageToken) {
    this.prefix = prefix;
    this.tagKey = tagKey;
    this.tagValue = tagValue;
    this.category = category;
    this.includeDeleted = includeDeleted;
    this.pageSize = pageSize;
    this.pageToken = pageToken;
  }

  /** Every live secret, first page. */
  public static SecretQuery all() {
    return new SecretQuery("", null, null, null, false, DEFAULT_PAGE_SIZE, null);
  }

  public SecretQuery prefix(String namePrefix) {
    return new SecretQuery(
        namePrefix == null ? "" : namePrefix, tagKey, tagValue, category, includeDeleted,
        pageSize, pageToken);
  }

  /** Secrets that have the tag {@code key}, whatever its value. */
  public SecretQuery tag(String key) {
    return new SecretQuery(prefix, key, null, category, includeDeleted, pageSize, pageToken);
  }

  /** Secrets whose tag {@code key} is {@code value}. */
  public SecretQuery tag(String key, String value) {
    return new SecretQuery(prefix, key, value, category, includeDeleted, pageSize, pageToken);
  }

  public SecretQuery category(SecretCategory c) {
    return new SecretQuery(prefix, tagKey, tagValue, c, includeDeleted, pageSize, pageToken);
  }

  public SecretQuery includeDeleted(boolean include) {
    return new SecretQuery(prefix, tagKey, tagValue, category, include, pageSize, pageToken);
  }

  public SecretQuery pageSize(int size) {
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE + " but was " + size);
    }
    return new SecretQuery(prefix, tagKey, tagValue, category, includeDeleted, size, pageToken);
  }

  /** Continue after the page that returned {@code token}. */
  public SecretQuery pageToken(String token) {
    return new SecretQuery(prefix, tagKey, tagValue, category, includeDeleted, pageSize, token);
  }

  public String prefix() {
    return prefix;
  }

  public String tagKey() {
    return tagKey;
  }

  public String tagValue() {
    return tagValue;
  }

  public SecretCategory category() {
    return category;
  }

  public boolean includeDeleted() {
    return includeDeleted;
  }

  public int pageSize() {
    return pageSize;
  }

  public String pageToken() {
    return pageToken;
  }

  @Override
  public String toString() {
    return "SecretQuery[prefix=" + prefix + ", tag=" + tagKey + "=" + tagValue + ", category="
        + category + ", includeDeleted=" + includeDeleted + ", pageSize=" + pageSize + "]";
  }
}
