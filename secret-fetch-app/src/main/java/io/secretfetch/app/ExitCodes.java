package io.secretfetch.app;

import io.secretfetch.api.SecretError;

/**
 * The exit codes of every {@code secret-fetch} command; the README and each command's
 * {@code --help} list them.
 */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** A check did not pass: a bundle import is blocked, a validation or the audit chain failed. */
  public static final int CHECK_FAILED = 1;
  /** Wrong arguments or input: an unknown option, a malformed value or reference. */
  public static final int USAGE = 2;
  /** The secret, version, key or trigger does not exist, or is deleted or expired. */
  public static final int NOT_FOUND = 3;
  /** A concurrent change won (check-and-set), or the name exists already. */
  public static final int CONFLICT = 4;
  /** Access denied. */
  public static final int ACCESS = 5;
  /** A provider or database is unreachable or throttling; retrying may help. */
  public static final int UNAVAILABLE = 6;
  /** The configuration (file, options, master key) is wrong. */
  public static final int CONFIGURATION = 10;
  /** A bug: an unexpected failure (EX_SOFTWARE). */
  public static final int INTERNAL = 70;
  /** Not an exit code: {@code serve} returns it to keep the JVM running until shutdown. */
  public static final int KEEP_RUNNING = -1;


  /** The exit code for a store or provider failure. */
  public static int of(SecretError error) {
    return switch (error) {
      case NOT_FOUND, VERSION_NOT_FOUND, DELETED, EXPIRED -> NOT_FOUND;
      case CONFLICT -> CONFLICT;
      case ACCESS_DENIED -> ACCESS;
      case THROTTLED, PROVIDER_UNAVAILABLE -> UNAVAILABLE;
      case INVALID_REFERENCE, INVALID_INPUT, MALFORMED_VALUE -> USAGE;
      case CONFIGURATION, DECRYPTION_FAILED -> CONFIGURATION;
    };
  }
}
