package io.secretfetch.vault;

import java.util.Set;

/**
 * The setting keys of a {@code vault} provider ({@code ProviderConfig.settings()}). The README of
 * this module has the full table with defaults; unknown keys are rejected so that a typo fails at
 * start instead of being ignored.
 */
public final class VaultSettings {
  private VaultSettings() {}

  /** Vault's address, e.g. {@code https://vault.example.com:8200}. Required. */
  public static final String ADDRESS = "address";
  /** Enterprise namespace sent as {@code X-Vault-Namespace}, e.g. {@code team-a}. */
  public static final String NAMESPACE = "namespace";
  /** Namespace of the auth method (login, renew), if it differs from {@link #NAMESPACE}. */
  public static final String AUTH_NAMESPACE = "auth-namespace";
  /** {@code shared} (default): all tenants read the same paths; {@code namespace}: tenant T reads
   * namespace {@code <namespace>/T}. */
  public static final String TENANCY = "tenancy";

  /** {@code token} or {@code approle}; default {@code approle} when an AppRole secret-id is set. */
  public static final String AUTH = "auth";
  /** A token, written into the configuration. Prefer {@link #TOKEN_REF}. */
  public static final String TOKEN = "token";
  /** A reference whose value is the token, e.g. {@code platform:vault/token}. */
  public static final String TOKEN_REF = "token-ref";
  /** Mount path of the AppRole auth method; default {@code approle}. */
  public static final String APPROLE_MOUNT = "approle.mount";
  /** The AppRole role-id (not a secret by itself). */
  public static final String APPROLE_ROLE_ID = "approle.role-id";
  /** A reference whose value is the role-id. */
  public static final String APPROLE_ROLE_ID_REF = "approle.role-id-ref";
  /** A reference whose value is the secret-id, e.g. {@code platform:vault/approle-secret-id}. */
  public static final String APPROLE_SECRET_ID_REF = "approle.secret-id-ref";
  /** Fraction of a token's lease after which it is renewed; default 0.67. */
  public static final String TOKEN_RENEW_AT = "token.renew-at";

  /** KV mounts and their versions, e.g. {@code secret=2, team/kv=2, legacy=1}. */
  public static final String MOUNTS = "mounts";
  /** Whether to ask Vault for the mount of a path not in {@link #MOUNTS}; default true. */
  public static final String MOUNT_DETECTION = "mount-detection";
  /** How {@code check} probes KV v1 secrets: {@code list} (default) or {@code read}. */
  public static final String KV1_CHECK = "kv1-check";

  /** PEM file with the CA certificates to trust (instead of the JVM's). */
  public static final String TLS_CA_FILE = "tls.ca-file";
  /** The same as {@link #TLS_CA_FILE}, inline PEM text. */
  public static final String TLS_CA_PEM = "tls.ca-pem";
  /** PEM file with the client certificate (chain) for mutual TLS. */
  public static final String TLS_CLIENT_CERT_FILE = "tls.client-cert-file";
  /** PEM file with the client's PKCS#8 private key. */
  public static final String TLS_CLIENT_KEY_FILE = "tls.client-key-file";
  /** A reference whose value is the client's PKCS#8 PEM private key. */
  public static final String TLS_CLIENT_KEY_REF = "tls.client-key-ref";

  /** Connect timeout; default 5 seconds. */
  public static final String CONNECT_TIMEOUT = "connect-timeout";
  /** Per-request timeout; default 30 seconds (whole seconds, at least 1). */
  public static final String READ_TIMEOUT = "read-timeout";
  /** Attempts per request, the first included; default 4. */
  public static final String RETRY_MAX_ATTEMPTS = "retry.max-attempts";
  /** Base delay before the first retry; default 200 ms. */
  public static final String RETRY_INITIAL_BACKOFF = "retry.initial-backoff";
  /** Largest base delay; default 5 seconds. */
  public static final String RETRY_MAX_BACKOFF = "retry.max-backoff";
  /** Random fraction of each delay, 0 to 1; default 0.5. */
  public static final String RETRY_JITTER = "retry.jitter";

  /** Whether {@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_NAMESPACE} and {@code
   * VAULT_CACERT} may stand in for missing settings; default false. */
  public static final String READ_ENVIRONMENT = "read-environment";

  /** Every key above. */
  public static final Set<String> ALL =
      Set.of(
          ADDRESS, NAMESPACE, AUTH_NAMESPACE, TENANCY, AUTH, TOKEN, TOKEN_REF, APPROLE_MOUNT,
          APPROLE_ROLE_ID, APPROLE_ROLE_ID_REF, APPROLE_SECRET_ID_REF, TOKEN_RENEW_AT, MOUNTS,
          MOUNT_DETECTION, KV1_CHECK, TLS_CA_FILE, TLS_CA_PEM, TLS_CLIENT_CERT_FILE,
          TLS_CLIENT_KEY_FILE, TLS_CLIENT_KEY_REF, CONNECT_TIMEOUT, READ_TIMEOUT,
          RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_JITTER,
          READ_ENVIRONMENT);
}
