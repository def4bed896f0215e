package io.secretfetch.platform.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks service tokens (see {@link ServiceTokens}): signature by a {@link TrustedWorker}'s key,
 * type, audience, lifetime, expiry, tenant, and that the token id was never used before. Safe for
 * concurrent use.
 */
public final class ServiceTokenVerifier {
  /** The clock difference tolerated between worker and server. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final String audience;
  private final Map<String, TrustedWorker> workers;
  private final Credentials ledger;
  private final Clock clock;

  /**
   * @param audience the {@code aud} this server expects, e.g. its base URL
   * @param workers the trusted worker keys
   * @param ledger where used token ids are recorded
   */
  public ServiceTokenVerifier(String audience, List<TrustedWorker> workers, Credentials ledger,
      Clock clock) {
    this.audience = Objects.requireNonNull(audience, "audience");
    this.workers = workers.stream()
        .collect(Collectors.toUnmodifiableMap(TrustedWorker::keyId, Function.identity()));
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Why a token was refused; the reason goes to the audit trail, not to the caller. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final String subject;
    private final String tenantId;
    private final boolean forbidden;

    Rejected(String reason, String subject, String tenantId, boolean forbidden) {
      super(reason, null, false, false);
      this.subject = subject;
      this.tenantId = tenantId;
      this.forbidden = forbidden;
    }

    /** The claimed subject, when the signature held; else null. */
    public String subject() {
      return subject;
    }

    public String tenantId() {
      return tenantId;
    }

    /** True when the token is genuine but may not act in the tenant it claims (403, not 401). */
    public boolean forbidden() {
      return forbidden;
    }
  }

  /** Verifies {@code token} and records its id; returns the worker as a principal. */
  public Principal verify(String token) throws Rejected {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new Rejected("service token is not a signed JWT", null, null, false);
    }
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      throw new Rejected("service token algorithm " + jwt.getHeader().getAlgorithm()
          + " is not ES256", null, null, false);
    }
    if (!new JOSEObjectType(ServiceTokens.TYPE).equals(jwt.getHeader().getType())) {
      throw new Rejected("service token type is not " + ServiceTokens.TYPE, null, null, false);
    }
    String kid = jwt.getHeader().getKeyID();
    TrustedWorker worker = kid == null ? null : workers.get(kid);
    if (worker == null) {
      throw new Rejected("service token signed by an unknown key " + safe(kid), null, null, false);
    }
    try {
      if (!jwt.verify(new ECDSAVerifier(worker.publicKey()))) {
        throw new Rejected("service token signature does not verify with key " + kid, null, null,
            false);
      }
    } catch (JOSEException e) {
      throw new Rejected("service token signature cannot be checked with key " + kid, null, null,
          false);
    }
    JWTClaimsSet claims;
    String subject;
    String tenantClaim;
    try {
      claims = jwt.getJWTClaimsSet();
      subject = claims.getSubject();
      tenantClaim = claims.getStringClaim(ServiceTokens.TENANT_CLAIM);
    } catch (ParseException e) {
      throw new Rejected("service token claims are malformed", null, null, false);
    }
    String tenantId = tenantClaim == null || tenantClaim.isEmpty() ? null : tenantClaim;
    if (subject == null || subject.isBlank() || subject.length() > 255) {
      throw new Rejected("service token has no valid subject", null, tenantId, false);
    }
    String who = "worker " + subject + " (key " + kid + ")";
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      throw new Rejected(who + ": token audience is not this server", subject, tenantId, false);
    }
    Date iat = claims.getIssueTime();
    Date exp = claims.getExpirationTime();
    if (iat == null || exp == null) {
      throw new Rejected(who + ": token lacks iat or exp", subject, tenantId, false);
    }
    Instant now = clock.instant();
    if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(ServiceTokens.MAX_LIFETIME)
        > 0) {
      throw new Rejected(who + ": token lifetime exceeds " + ServiceTokens.MAX_LIFETIME, subject,
          tenantId, false);
    }
    if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
      throw new Rejected(who + ": token expired at " + exp.toInstant(), subject, tenantId, false);
    }
    if (iat.toInstant().isAfter(now.plus(CLOCK_SKEW))
        || (claims.getNotBeforeTime() != null
            && claims.getNotBeforeTime().toInstant().isAfter(now.plus(CLOCK_SKEW)))) {
      throw new Rejected(who + ": token is not valid yet", subject, tenantId, false);
    }
    String jti = claims.getJWTID();
    if (jti == null || jti.isEmpty() || jti.length() > 128) {
      throw new Rejected(who + ": token has no valid id (jti)", subject, tenantId, false);
    }
    if (tenantClaim == null) {
      throw new Rejected(who + ": token has no tenant claim", subject, null, false);
    }
    if (!worker.tenants().contains(tenantClaim)) {
      throw new Rejected(who + " may not act in tenant '" + tenantClaim + "'", subject, tenantId,
          true);
    }
    if (!ledger.firstUseOfTokenId(jti, exp.toInstant().plus(CLOCK_SKEW))) {
      throw new Rejected(who + ": token id " + safe(jti) + " was already used (replay)", subject,
          tenantId, false);
    }
    return new Principal(subject, tenantId, EnumSet.of(Scope.SECRETS_READ),
        Principal.Kind.SERVICE_TOKEN, jti, optional(claims, ServiceTokens.PROCESS_INSTANCE_CLAIM),
        optional(claims, ServiceTokens.ACTIVITY_CLAIM));
  }

  private static String optional(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s && !s.isEmpty() && s.length() <= 255 ? s : null;
  }

  private static String safe(String s) {
    if (s == null) {
      return "(none)";
    }
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("[^A-Za-z0-9._:@/-]", "?");
  }
}
