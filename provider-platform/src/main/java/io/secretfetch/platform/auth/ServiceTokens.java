package io.secretfetch.platform.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Service tokens: the short-lived signed JWTs workers present to {@code GET /secrets/{name}/value}.
 *
 * <p>A token is a JWS with algorithm ES256 (EC P-256, asymmetric: the server holds only the
 * worker's public key), header {@code typ} {@value #TYPE} and {@code kid} naming the worker key,
 * and claims {@code sub} (the worker, the audit actor), {@code aud} (the server), {@code iat},
 * {@code exp} (at most {@link #MAX_LIFETIME} after {@code iat}), {@code jti} (unique; the server
 * accepts each id once) and {@code tenant} ({@code ""} for the default tenant). Optional claims
 * {@code pid} and {@code act} name the process instance and activity for the audit trail.
 */
public final class ServiceTokens {
  /** The JOSE {@code typ} of a service token (explicit typing, RFC 8725 section 3.11). */
  public static final String TYPE = "secret-fetch-worker+jwt";
  /** The longest lifetime a token may claim. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

  public static final String TENANT_CLAIM = "tenant";
  public static final String PROCESS_INSTANCE_CLAIM = "pid";
  public static final String ACTIVITY_CLAIM = "act";

  private ServiceTokens() {}

  /** A new worker signing key (EC P-256) with the given key id. Keep its private part secret. */
  public static ECKey generateWorkerKey(String keyId) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(keyId).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("EC P-256 key generation is not available", e);
    }
  }

  /**
   * Mints and signs one token.
   *
   * @param workerKey the worker's private key (with key id)
   * @param subject the worker's name, the audit actor
   * @param audience the server's audience
   * @param tenantId the tenant, null for the default tenant
   * @param lifetime at most {@link #MAX_LIFETIME}
   */
  public static String mint(ECKey workerKey, String subject, String audience, String tenantId,
      String processInstanceId, String activityId, Instant now, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("token lifetime must be above 0 and at most "
          + MAX_LIFETIME + " but was " + lifetime);
    }
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .audience(audience)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .claim(TENANT_CLAIM, tenantId == null ? "" : tenantId);
    if (processInstanceId != null) {
      claims.claim(PROCESS_INSTANCE_CLAIM, processInstanceId);
    }
    if (activityId != null) {
      claims.claim(ACTIVITY_CLAIM, activityId);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(workerKey.getKeyID()).type(new JOSEObjectType(TYPE)).build(), claims.build());
    try {
      jwt.sign(new ECDSASigner(workerKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a service token with key "
          + workerKey.getKeyID() + " (" + e.getClass().getSimpleName() + ")", e);
    }
    return jwt.serialize();
  }
}
