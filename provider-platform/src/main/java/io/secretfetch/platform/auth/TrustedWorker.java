package io.secretfetch.platform.auth;

import com.nimbusds.jose.jwk.ECKey;
import java.util.Objects;
import java.util.Set;

/**
 * A worker whose service tokens the server accepts: its public signing key (EC P-256, JWK with a
 * key id) and the tenants it may act in. A token claiming any other tenant is refused.
 *
 * @param publicKey the worker's public key; a private key given here is reduced to its public part
 * @param tenants the tenant ids the worker may claim; {@code ""} is the default tenant
 */
public record TrustedWorker(ECKey publicKey, Set<String> tenants) {
  public TrustedWorker {
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.getKeyID() == null || publicKey.getKeyID().isBlank()) {
      throw new IllegalArgumentException("a trusted worker key needs a key id (kid)");
    }
    publicKey = publicKey.toPublicJWK();
    tenants = Set.copyOf(tenants);
  }

  public String keyId() {
    return publicKey.getKeyID();
  }

  @Override
  public String toString() {
    return "TrustedWorker[kid=" + keyId() + ", tenants=" + tenants + "]";
  }
}
