package io.secretfetch.platform.auth;

import java.util.Arrays;

/**
 * A freshly created API key: its facts and the key itself, which the store does not keep (it keeps
 * a hash) and so can never show again. Hand the key to its holder, then {@link #close()} this.
 * {@link #toString()} never shows the key.
 */
public final class NewApiKey implements AutoCloseable {
  private final ApiKeyInfo info;
  private final char[] key;

  NewApiKey(ApiKeyInfo info, char[] key) {
    this.info = info;
    this.key = key;
  }

  public ApiKeyInfo info() {
    return info;
  }

  /** The key, as the holder presents it ({@code Authorization: Bearer sfk_...}). */
  public String reveal() {
    return new String(key);
  }

  @Override
  public void close() {
    Arrays.fill(key, '\0');
  }

  @Override
  public String toString() {
    return "NewApiKey[" + info.keyId() + ", subject=" + info.subject() + ", ***]";
  }
}
