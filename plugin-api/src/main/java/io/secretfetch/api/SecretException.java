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

  // Named factories, one per code: the ref-taking forms accept a null ref (the failure concerns no
  // single secret), and a null remedy takes the code's default, as the constructors do.

  /** CONFIGURATION: the provider or resolver is configured wrongly; the code's default remedy. */
  public static SecretException configuration(SecretRef ref, String detail) {
    return new SecretException(SecretError.CONFIGURATION, ref, detail, null, null);
  }

  /** CONFIGURATION: the provider or resolver is configured wrongly. */
  public static SecretException configuration(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.CONFIGURATION, ref, detail, remedy, null);
  }

  /** CONFIGURATION concerning no single secret. */
  public static SecretException configuration(String detail, String remedy) {
    return new SecretException(SecretError.CONFIGURATION, null, detail, remedy, null);
  }

  /** CONFIGURATION concerning no single secret, with a cause whose message is value-free. */
  public static SecretException configuration(String detail, String remedy, Throwable cause) {
    return new SecretException(SecretError.CONFIGURATION, null, detail, remedy, cause);
  }

  /** PROVIDER_UNAVAILABLE: the provider could not be reached or failed internally; the code's default remedy. */
  public static SecretException providerUnavailable(SecretRef ref, String detail) {
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref, detail, null, null);
  }

  /** PROVIDER_UNAVAILABLE: the provider could not be reached or failed internally. */
  public static SecretException providerUnavailable(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref, detail, remedy, null);
  }

  /** PROVIDER_UNAVAILABLE concerning no single secret. */
  public static SecretException providerUnavailable(String detail, String remedy) {
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, null, detail, remedy, null);
  }

  /** PROVIDER_UNAVAILABLE with a cause whose message is value-free. */
  public static SecretException providerUnavailable(
      SecretRef ref, String detail, String remedy, Throwable cause) {
    return new SecretException(SecretError.PROVIDER_UNAVAILABLE, ref, detail, remedy, cause);
  }

  /** ACCESS_DENIED: the provider refused the caller; the code's default remedy. */
  public static SecretException accessDenied(SecretRef ref, String detail) {
    return new SecretException(SecretError.ACCESS_DENIED, ref, detail, null, null);
  }

  /** ACCESS_DENIED: the provider refused the caller. */
  public static SecretException accessDenied(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.ACCESS_DENIED, ref, detail, remedy, null);
  }

  /** ACCESS_DENIED concerning no single secret. */
  public static SecretException accessDenied(String detail, String remedy) {
    return new SecretException(SecretError.ACCESS_DENIED, null, detail, remedy, null);
  }

  /** INVALID_REFERENCE: the reference itself is malformed; the code's default remedy. */
  public static SecretException invalidReference(SecretRef ref, String detail) {
    return new SecretException(SecretError.INVALID_REFERENCE, ref, detail, null, null);
  }

  /** INVALID_REFERENCE: the reference itself is malformed. */
  public static SecretException invalidReference(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.INVALID_REFERENCE, ref, detail, remedy, null);
  }

  /** INVALID_REFERENCE concerning no single secret. */
  public static SecretException invalidReference(String detail, String remedy) {
    return new SecretException(SecretError.INVALID_REFERENCE, null, detail, remedy, null);
  }

  /** MALFORMED_VALUE: the value does not have the expected shape; the code's default remedy. */
  public static SecretException malformedValue(SecretRef ref, String detail) {
    return new SecretException(SecretError.MALFORMED_VALUE, ref, detail, null, null);
  }

  /** MALFORMED_VALUE: the value does not have the expected shape. */
  public static SecretException malformedValue(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.MALFORMED_VALUE, ref, detail, remedy, null);
  }

  /** VERSION_NOT_FOUND: the pinned version does not exist; the code's default remedy. */
  public static SecretException versionNotFound(SecretRef ref, String detail) {
    return new SecretException(SecretError.VERSION_NOT_FOUND, ref, detail, null, null);
  }

  /** VERSION_NOT_FOUND: the pinned version does not exist. */
  public static SecretException versionNotFound(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.VERSION_NOT_FOUND, ref, detail, remedy, null);
  }

  /** DELETED: the secret or version was deleted or destroyed; the code's default remedy. */
  public static SecretException deleted(SecretRef ref, String detail) {
    return new SecretException(SecretError.DELETED, ref, detail, null, null);
  }

  /** DELETED: the secret or version was deleted or destroyed. */
  public static SecretException deleted(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.DELETED, ref, detail, remedy, null);
  }

  /** NOT_FOUND: no secret of that name exists; the code's default remedy. */
  public static SecretException notFound(SecretRef ref, String detail) {
    return new SecretException(SecretError.NOT_FOUND, ref, detail, null, null);
  }

  /** NOT_FOUND: no secret of that name exists. */
  public static SecretException notFound(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.NOT_FOUND, ref, detail, remedy, null);
  }

  /** NOT_FOUND concerning no single secret. */
  public static SecretException notFound(String detail, String remedy) {
    return new SecretException(SecretError.NOT_FOUND, null, detail, remedy, null);
  }

  /** CONFLICT: a write lost a race; the code's default remedy. */
  public static SecretException conflict(SecretRef ref, String detail) {
    return new SecretException(SecretError.CONFLICT, ref, detail, null, null);
  }

  /** CONFLICT: a write lost a race. */
  public static SecretException conflict(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.CONFLICT, ref, detail, remedy, null);
  }

  /** CONFLICT concerning no single secret. */
  public static SecretException conflict(String detail, String remedy) {
    return new SecretException(SecretError.CONFLICT, null, detail, remedy, null);
  }

  /** INVALID_INPUT: a write broke a documented limit; the code's default remedy. */
  public static SecretException invalidInput(SecretRef ref, String detail) {
    return new SecretException(SecretError.INVALID_INPUT, ref, detail, null, null);
  }

  /** INVALID_INPUT: a write broke a documented limit. */
  public static SecretException invalidInput(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.INVALID_INPUT, ref, detail, remedy, null);
  }

  /** INVALID_INPUT concerning no single secret. */
  public static SecretException invalidInput(String detail, String remedy) {
    return new SecretException(SecretError.INVALID_INPUT, null, detail, remedy, null);
  }

  /** EXPIRED: the secret's expiry date has passed; the code's default remedy. */
  public static SecretException expired(SecretRef ref, String detail) {
    return new SecretException(SecretError.EXPIRED, ref, detail, null, null);
  }

  /** EXPIRED: the secret's expiry date has passed. */
  public static SecretException expired(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.EXPIRED, ref, detail, remedy, null);
  }

  /** THROTTLED: the provider asked the caller to slow down; the code's default remedy. */
  public static SecretException throttled(SecretRef ref, String detail) {
    return new SecretException(SecretError.THROTTLED, ref, detail, null, null);
  }

  /** THROTTLED: the provider asked the caller to slow down. */
  public static SecretException throttled(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.THROTTLED, ref, detail, remedy, null);
  }

  /** DECRYPTION_FAILED: the stored ciphertext could not be decrypted; the code's default remedy. */
  public static SecretException decryptionFailed(SecretRef ref, String detail) {
    return new SecretException(SecretError.DECRYPTION_FAILED, ref, detail, null, null);
  }

  /** DECRYPTION_FAILED: the stored ciphertext could not be decrypted. */
  public static SecretException decryptionFailed(SecretRef ref, String detail, String remedy) {
    return new SecretException(SecretError.DECRYPTION_FAILED, ref, detail, remedy, null);
  }

  /** DECRYPTION_FAILED concerning no single secret. */
  public static SecretException decryptionFailed(String detail, String remedy) {
    return new SecretException(SecretError.DECRYPTION_FAILED, null, detail, remedy, null);
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

  /**
   * A new exception with the same code, detail, remedy and cause that concerns {@code ref} instead
   * (null for none), thrown from the caller's stack; this one is attached as suppressed so its own
   * stack trace is kept. Use it where a failure raised for one reference is reported for another.
   */
  public SecretException withRef(SecretRef ref) {
    SecretException moved = new SecretException(error, ref, detail, remedy, getCause());
    moved.addSuppressed(this);
    return moved;
  }

  /** A new exception with the same facts, thrown afresh from the caller's stack. */
  SecretException copy() {
    return withRef(ref);
  }
}
