package io.secretfetch.api;

import java.util.Objects;

/**
 * A structured failure to resolve, check or list secrets.
 *
 * <p>The message names the code, the reference and a remedy, and never contains a secret value.
 * Providers must keep it that way: put names, versions, paths and service error codes in the
 * message, never a response body, and attach a cause only when its own message is value-free.
 */
public class SecretException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SecretError error;
  private final transient SecretRef ref;
  private final String detail;
  private final String remedy;

  public SecretException(SecretError error, SecretRef ref, String detail) {
    this(error, ref, detail, null, null);
  }

  public SecretException(SecretError error, SecretRef ref, String detail, String remedy) {
    this(error, ref, detail, remedy, null);
  }

  /**
   * @param error the code, not null
   * @param ref the reference concerned, or null when the failure concerns no single secret
   * @param detail what happened, without any secret value
   * @param remedy what the user should do; null takes the code's default remedy
   * @param cause the underlying failure, or null; its message must not contain a value
   */
  public SecretException(
      SecretError error, SecretRef ref, String detail, String remedy, Throwable cause) {
    super(compose(error, ref, detail, remedy), cause);
    this.error = error;
    this.ref = ref;
    this.detail = detail;
    this.remedy = remedy == null ? error.defaultRemedy() : remedy;
  }

  private static String compose(SecretError error, SecretRef ref, String detail, String remedy) {
    Objects.requireNonNull(error, "error");
    StringBuilder sb = new StringBuilder().append('[').append(error).append("] ");
    if (ref != null) {
      sb.append("secret '").append(ref).append("': ");
    }
    sb.append(detail == null ? error.name().toLowerCase(java.util.Locale.ROOT) : detail);
    sb.append(". Remedy: ").append(remedy == null ? error.defaultRemedy() : remedy);
    return sb.toString();
  }

  public SecretError error() {
    return error;
  }

  /** The reference concerned, or null. */
  public SecretRef ref() {
    return ref;
  }

  /** One sentence saying what to do about it. */
  public String remedy() {
    return remedy;
  }

  /** What happened, without the code, reference and remedy that {@link #getMessage()} adds. */
  public String detail() {
    return detail;
  }

  /** Whether trying again later can help. */
  public boolean retryable() {
    return error.retryable();
  }

  /** A new exception with the same facts, thrown afresh from the caller's stack. */
  SecretException copy() {
    SecretException copy = new SecretException(error, ref, detail, remedy, getCause());
    copy.addSuppressed(this);
    return copy;
  }
}
