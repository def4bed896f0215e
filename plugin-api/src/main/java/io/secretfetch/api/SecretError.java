package io.secretfetch.api;

/**
 * Why a secret could not be resolved. Every provider maps its own failures onto these codes, so a
 * host can react the same way whatever vault stands behind a reference.
 */
public enum SecretError {
  /** No secret of that name exists (or the caller's tenant cannot see one). */
  NOT_FOUND(false, "Create the secret, or bind the slot to an existing one, then retry."),
  /** The secret exists but the pinned version does not. */
  VERSION_NOT_FOUND(false, "Pin an existing version, or remove the pin to use the active one."),
  /** The provider refused the caller. */
  ACCESS_DENIED(false, "Grant the caller read access to the secret, then retry."),
  /** The secret's expiry date has passed. */
  EXPIRED(false, "Rotate the secret with a new value and expiry date."),
  /** The secret, or the requested version, was deleted or destroyed. */
  DELETED(false, "Restore the secret or bind the slot to another one."),
  /** The stored ciphertext could not be decrypted (wrong or missing key). */
  DECRYPTION_FAILED(false, "Check that the store is opened with the key it was written with."),
  /** The provider asked the caller to slow down. */
  THROTTLED(true, "Retry later, or raise the provider's request quota."),
  /** The provider could not be reached or failed internally. */
  PROVIDER_UNAVAILABLE(true, "Check that the provider is reachable, then retry."),
  /** The reference itself is malformed. */
  INVALID_REFERENCE(false, "Correct the secret reference."),
  /** The value does not have the expected shape (not JSON, missing field, not UTF-8). */
  MALFORMED_VALUE(false, "Store the secret in the expected format, or change the requested field."),
  /** A write lost a race: the secret changed since the version the writer expected. */
  CONFLICT(false, "Read the current version and retry the change against it."),
  /** A write was refused: a name, value, tag or setting breaks a documented limit. */
  INVALID_INPUT(false, "Correct the input as the message says."),
  /** The provider or resolver is configured wrongly. */
  CONFIGURATION(false, "Correct the Secret Fetch configuration.");

  private final boolean retryable;
  private final String defaultRemedy;

  SecretError(boolean retryable, String defaultRemedy) {
    this.retryable = retryable;
    this.defaultRemedy = defaultRemedy;
  }

  /** Whether trying the same request again later can succeed without anyone changing anything. */
  public boolean retryable() {
    return retryable;
  }

  /** The remedy used when a provider gives none of its own. */
  public String defaultRemedy() {
    return defaultRemedy;
  }
}
