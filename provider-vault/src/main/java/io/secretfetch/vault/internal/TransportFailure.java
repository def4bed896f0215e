package io.secretfetch.vault.internal;

/**
 * Vault could not be reached or answered something the driver could not read. Carries the
 * underlying exception (an {@code IOException} of the JDK's HTTP client, never the driver's
 * exception, whose message can contain a response body).
 */
final class TransportFailure extends Exception {
  private static final long serialVersionUID = 1L;

  TransportFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
