package io.secretfetch.platform.auth;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.platform.audit.AuditAction;
import io.secretfetch.platform.audit.internal.AuditChain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import io.secretfetch.platform.store.internal.Jdbc;
import io.secretfetch.platform.store.internal.Jdbc.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS API's credentials, kept in the store's database: API keys (stored as a SHA-256 hash
 * only), the ids of service tokens already used (replay protection), and the audit events of
 * refused requests. Obtain it from {@code PlatformSecretStore.credentials()}.
 *
 * <h2>API keys</h2>
 *
 * A key reads {@code sfk_<keyId>_<secret>}: {@code keyId} is 16 hex digits (public, for lookup and
 * audit), {@code secret} 256 random bits in base64url. The store keeps {@code SHA-256(secret)}
 * and compares in constant time; a high-entropy random secret needs no slow hash. The key is
 * returned once, from {@link #createApiKey}.
 *
 * <p>Safe for concurrent use.
 */
public final class Credentials {
  private static final Logger log = LoggerFactory.getLogger(Credentials.class);

  /** The prefix every API key starts with; secret scanners can look for it. */
  public static final String API_KEY_PREFIX = "sfk_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;
  private static final byte[] DUMMY_HASH = new byte[32];
  private static final int MAX_SUBJECT = 255;

  private final DataSource dataSource;
  private final AuditChain audit;
  private final Clock clock;
  private final AtomicLong tokenUses = new AtomicLong();

  /** For the store; hosts use {@code PlatformSecretStore.credentials()}. */
  public Credentials(DataSource dataSource, AuditChain audit, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------------------------------------
  // API keys

  /**
   * Creates an API key for {@code subject} in the context's tenant. The creation is audited with
   * the context's actor.
   *
   * @param expiresAt null for a key that does not expire
   * @throws SecretException {@code INVALID_INPUT} for an empty or too long subject, no scopes, or
   *     an expiry in the past
   */
  public NewApiKey createApiKey(SecretContext context, String subject, Set<Scope> scopes,
      Instant expiresAt) {
    Objects.requireNonNull(context, "context");
    if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
      throw invalid("subject must be 1 to " + MAX_SUBJECT + " characters",
          "Name who holds the key, e.g. a person or a tool");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw invalid("scopes are empty", "Give the key at least one scope");
    }
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw invalid("expires_at is not in the future", "Give a future expiry, or none");
    }
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    String keyId = HexFormat.of().formatHex(idBytes);
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    byte[] hash = sha256(secretText.getBytes(StandardCharsets.US_ASCII));
    java.util.Arrays.fill(secret, (byte) 0);
    String tenant = tenant(context.tenantId());
    inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sf_api_key (key_id, tenant, subject, scopes, key_hash, created_at,"
              + " created_by, expires_at) VALUES (?,?,?,?,?,?,?,?)")) {
        ps.setString(1, keyId);
        ps.setString(2, tenant);
        ps.setString(3, subject);
        ps.setString(4, Scope.format(scopes));
        ps.setBytes(5, hash);
        ps.setObject(6, Jdbc.odt(now));
        ps.setString(7, context.actor());
        ps.setObject(8, Jdbc.odt(expiresAt));
        ps.executeUpdate();
      }
      audit.append(c, List.of(entry(now, context.tenantId(), context.actor(),
          AuditAction.CREATE_API_KEY, null,
          "key " + keyId + " for '" + subject + "' with " + Scope.format(scopes))));
      return null;
    });
    log.info("Created API key {} for '{}' in tenant '{}' with scopes {}", keyId, subject, tenant,
        Scope.format(scopes));
    ApiKeyInfo info = new ApiKeyInfo(keyId, context.tenantId(), subject, scopes, now,
        context.actor(), expiresAt, null);
    return new NewApiKey(info, (API_KEY_PREFIX + keyId + "_" + secretText).toCharArray());
  }

  /**
   * Revokes a key of the context's tenant; from now on it is refused. Revoking a revoked key
   * changes nothing.
   *
   * @throws SecretException {@code NOT_FOUND} if the tenant has no such key
   */
  public ApiKeyInfo revokeApiKey(SecretContext context, String keyId) {
    Objects.requireNonNull(context, "context");
    String tenant = tenant(context.tenantId());
    Instant now = clock.instant();
    return inTransaction(c -> {
      ApiKeyInfo current = find(c, keyId, true)
          .filter(k -> tenant(k.tenantId()).equals(tenant))
          .orElseThrow(() -> new SecretException(SecretError.NOT_FOUND, null,
              "no API key " + keyId + " in this tenant", "Check the key id"));
      if (current.revoked()) {
        return current;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sf_api_key SET revoked_at = ?, revoked_by = ? WHERE key_id = ?")) {
        ps.setObject(1, Jdbc.odt(now));
        ps.setString(2, context.actor());
        ps.setString(3, keyId);
        ps.executeUpdate();
      }
      audit.append(c, List.of(entry(now, context.tenantId(), context.actor(),
          AuditAction.REVOKE_API_KEY, null, "key " + keyId + " of '" + current.subject() + "'")));
      log.info("Revoked API key {} of '{}' in tenant '{}'", keyId, current.subject(), tenant);
      return new ApiKeyInfo(current.keyId(), current.tenantId(), current.subject(),
          current.scopes(), current.createdAt(), current.createdBy(), current.expiresAt(), now);
    });
  }

  /** The context tenant's keys, newest first, revoked ones included. */
  public List<ApiKeyInfo> listApiKeys(SecretContext context) {
    String tenant = tenant(context.tenantId());
    return query(c -> {
      List<ApiKeyInfo> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
          + " FROM sf_api_key WHERE tenant = ? ORDER BY created_at DESC, key_id")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(info(rs));
          }
        }
      }
      return out;
    });
  }

  /** Why a presented API key was refused. */
  public enum Refusal {
    MALFORMED,
    UNKNOWN,
    WRONG_SECRET,
    REVOKED,
    EXPIRED
  }

  /** The outcome of {@link #authenticateApiKey}: a principal, or why not (and which key id). */
  public record ApiKeyCheck(Principal principal, Refusal refusal, String keyId, String tenantId) {
    public boolean ok() {
      return principal != null;
    }
  }

  /**
   * Checks a presented key. Does not audit: the caller knows the request and audits a refusal
   * with {@link #auditRefusal}. Takes the same time whether or not the key id exists.
   */
  public ApiKeyCheck authenticateApiKey(String presented) {
    if (presented == null || !presented.startsWith(API_KEY_PREFIX)
        || presented.length() > 128) {
      return new ApiKeyCheck(null, Refusal.MALFORMED, null, null);
    }
    int sep = presented.indexOf('_', API_KEY_PREFIX.length());
    if (sep != API_KEY_PREFIX.length() + 16) {
      return new ApiKeyCheck(null, Refusal.MALFORMED, null, null);
    }
    String keyId = presented.substring(API_KEY_PREFIX.length(), sep);
    if (!keyId.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
      return new ApiKeyCheck(null, Refusal.MALFORMED, null, null);
    }
    byte[] presentedHash =
        sha256(presented.substring(sep + 1).getBytes(StandardCharsets.US_ASCII));
    Stored stored = query(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + KEY_COLUMNS + ", key_hash FROM sf_api_key WHERE key_id = ?")) {
        ps.setString(1, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Stored(info(rs), rs.getBytes(9)) : null;
        }
      }
    });
    boolean match = MessageDigest.isEqual(presentedHash, stored == null ? DUMMY_HASH : stored.hash);
    if (stored == null) {
      return new ApiKeyCheck(null, Refusal.UNKNOWN, keyId, null);
    }
    ApiKeyInfo k = stored.info;
    if (!match) {
      return new ApiKeyCheck(null, Refusal.WRONG_SECRET, keyId, k.tenantId());
    }
    if (k.revoked()) {
      return new ApiKeyCheck(null, Refusal.REVOKED, keyId, k.tenantId());
    }
    if (k.expiresAt() != null && !clock.instant().isBefore(k.expiresAt())) {
      return new ApiKeyCheck(null, Refusal.EXPIRED, keyId, k.tenantId());
    }
    return new ApiKeyCheck(new Principal(k.subject(), k.tenantId(), k.scopes(),
        Principal.Kind.API_KEY, keyId, null, null), null, keyId, k.tenantId());
  }

  // ---------------------------------------------------------------------------------------------
  // Service token ids

  /**
   * Records the first use of a service token id. Returns false if it was used before: the token
   * is a replay. Ids past their expiry are removed now and then (they are refused as expired).
   */
  public boolean firstUseOfTokenId(String tokenId, Instant expiresAt) {
    Instant now = clock.instant();
    boolean first = inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sf_token_use (token_id, expires_at) VALUES (?,?)")) {
        ps.setString(1, tokenId);
        ps.setObject(2, Jdbc.odt(expiresAt));
        ps.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (Jdbc.isUniqueViolation(e)) {
          return false;
        }
        throw e;
      }
    });
    if ((tokenUses.incrementAndGet() & 1023) == 0) {
      int removed = inTransaction(c -> {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM sf_token_use WHERE expires_at < ?")) {
          ps.setObject(1, Jdbc.odt(now.minusSeconds(60)));
          return ps.executeUpdate();
        }
      });
      log.debug("Removed {} expired service token id(s)", removed);
    }
    return first;
  }

  // ---------------------------------------------------------------------------------------------
  // Audit of refusals

  /**
   * Audits a request refused before it reached a store operation: failed authentication
   * ({@code AUTHENTICATE}) or a missing scope. Never throws: a failure to audit is logged.
   *
   * @param actor who the caller claimed to be (key id or token subject), or null
   * @param detail a short value-free reason
   */
  public void auditRefusal(String tenantId, String actor, AuditAction action, SecretError error,
      String secretName, String detail) {
    try {
      Instant now = clock.instant();
      inTransaction(c -> {
        audit.append(c, List.of(new AuditChain.Entry(now, tenantId, actor, action, error, null,
            secretName, null, null, null, detail)));
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("Could not audit a refused {} by '{}' ({})", action, actor, error, e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static final String KEY_COLUMNS =
      "key_id, tenant, subject, scopes, created_at, created_by, expires_at, revoked_at";

  private record Stored(ApiKeyInfo info, byte[] hash) {}

  private Optional<ApiKeyInfo> find(Connection c, String keyId, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
        + " FROM sf_api_key WHERE key_id = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(info(rs)) : Optional.empty();
      }
    }
  }

  private static ApiKeyInfo info(ResultSet rs) throws SQLException {
    String tenant = rs.getString(2);
    return new ApiKeyInfo(rs.getString(1), tenant.isEmpty() ? null : tenant, rs.getString(3),
        Scope.parseAll(rs.getString(4)), Jdbc.instant(rs, 5), rs.getString(6), Jdbc.instant(rs, 7),
        Jdbc.instant(rs, 8));
  }

  private static AuditChain.Entry entry(Instant now, String tenant, String actor,
      AuditAction action, SecretError error, String detail) {
    return new AuditChain.Entry(now, tenant, actor, action, error, null, null, null, null, null,
        detail);
  }

  private static String tenant(String tenantId) {
    return tenantId == null ? "" : tenantId;
  }

  private static SecretException invalid(String detail, String remedy) {
    return new SecretException(SecretError.INVALID_INPUT, null, detail, remedy);
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private <T> T inTransaction(SqlWork<T> work) {
    return Jdbc.inTransaction(dataSource, work, Jdbc::unavailable);
  }

  private <T> T query(SqlWork<T> work) {
    return Jdbc.query(dataSource, work);
  }
}
