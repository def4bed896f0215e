package io.secretfetch.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import java.time.Clock;

/**
 * Where the provider's token comes from: a token given to it (configured, or held in the platform
 * store), or an AppRole login whose secret-id is held in the platform store. Bootstrap secrets are
 * resolved on first use, through the resolver that built the provider.
 */
abstract sealed class Credentials permits Credentials.GivenToken, Credentials.AppRole {
  final VaultGateway gateway;
  final Retrying retrying;
  final Clock clock;
  final BootstrapSecrets bootstrap;
  final String namespace;
  final double renewAt;

  Credentials(VaultGateway gateway, Retrying retrying, Clock clock, BootstrapSecrets bootstrap,
      String namespace, double renewAt) {
    this.gateway = gateway;
    this.retrying = retrying;
    this.clock = clock;
    this.bootstrap = bootstrap;
    this.namespace = namespace;
    this.renewAt = renewAt;
  }

  static Credentials of(VaultOptions o, VaultGateway gateway, Retrying retrying, Clock clock,
      BootstrapSecrets bootstrap) {
    return o.auth() == VaultOptions.AuthMethod.APPROLE
        ? new AppRole(o, gateway, retrying, clock, bootstrap)
        : new GivenToken(o, gateway, retrying, clock, bootstrap);
  }

  /**
   * Obtains a token and learns its lease.
   *
   * @param generation the new session's generation
   * @param refresh true after a failure: re-read bootstrap secrets instead of using cached ones
   * @param ref the reference being served, for messages
   */
  abstract TokenSession login(long generation, boolean refresh, SecretRef ref)
      throws InterruptedException;


  /** For logs: where the token comes from, never the token. */
  abstract String describe();

  String resolveBootstrap(SecretRef bootstrapRef, boolean refresh, String what, SecretRef ref) {
    if (bootstrap == null) {
      throw SecretException.configuration(
          ref,
          "the " + what + " is configured as '" + bootstrapRef
              + "', but this provider was built without a resolver for bootstrap secrets",
          "Build the provider through SecretResolver.builder().provider(ProviderConfig)");
    }
    try {
      if (refresh) {
        bootstrap.invalidate(bootstrapRef, SecretContext.system());
      }
      try (SecretValue v = bootstrap.resolve(bootstrapRef, SecretContext.system())) {
        return v.reveal().trim();
      }
    } catch (SecretException e) {
      throw new SecretException(
          e.retryable() ? e.error() : SecretError.CONFIGURATION,
          ref,
          "the " + what + " '" + bootstrapRef + "' could not be resolved (" + e.error() + ")",
          "Store it under '" + bootstrapRef + "' or correct the setting. " + e.remedy(),
          e);
    }
  }

  /** A token given to the provider; its lease is learnt from {@code auth/token/lookup-self}. */
  static final class GivenToken extends Credentials {
    private final VaultToken literal;
    private final SecretRef tokenRef;

    GivenToken(VaultOptions o, VaultGateway gateway, Retrying retrying, Clock clock,
        BootstrapSecrets bootstrap) {
      super(gateway, retrying, clock, bootstrap, o.authNamespace(), o.renewAt());
      this.literal = o.token();
      this.tokenRef = o.tokenRef();
    }

    @Override
    TokenSession login(long generation, boolean refresh, SecretRef ref)
        throws InterruptedException {
      VaultToken token =
          literal != null
              ? literal
              : VaultToken.of(resolveBootstrap(tokenRef, refresh, "Vault token", ref));
      TokenSession probe = TokenSession.of(generation, token, clock.instant(), 0, false, false,
          renewAt);
      Reply r = retrying.run(ref, "token lookup", () -> gateway.lookupSelf(probe, namespace));
      try {
        if (r.status() == 403 || r.status() == 400 || r.status() == 401) {
          throw SecretException.accessDenied(
              ref,
              "Vault refused the token from " + describe() + " (" + r.status()
                  + " on auth/token/lookup-self" + Errors.inNamespace(namespace)
                  + "): it expired, was revoked, or lacks the default policy",
              tokenRef != null
                  ? "Store a valid token under '" + tokenRef + "', or use AppRole (auth=approle)"
                      + " so the provider can log in again by itself"
                  : "Configure a valid token, or use AppRole (auth=approle) so the provider can"
                      + " log in again by itself");
        }
        if (!r.ok()) {
          throw Errors.unexpected(ref, r.status(), "the token lookup", gateway.address(), r);
        }
        JsonNode data = r.json().path("data");
        long ttl = data.path("ttl").asLong(0);
        boolean renewable = data.path("renewable").asBoolean(false);
        return TokenSession.of(generation, token, clock.instant(), ttl, renewable, false,
            renewAt);
      } finally {
        r.wipe();
      }
    }


    @Override
    String describe() {
      return tokenRef != null ? "'" + tokenRef + "'" : "the configuration";
    }
  }

  /** AppRole login with a role-id and a secret-id from the platform store. */
  static final class AppRole extends Credentials {
    private final String mount;
    private final String roleId;
    private final SecretRef roleIdRef;
    private final SecretRef secretIdRef;

    AppRole(VaultOptions o, VaultGateway gateway, Retrying retrying, Clock clock,
        BootstrapSecrets bootstrap) {
      super(gateway, retrying, clock, bootstrap, o.authNamespace(), o.renewAt());
      this.mount = o.appRoleMount();
      this.roleId = o.roleId();
      this.roleIdRef = o.roleIdRef();
      this.secretIdRef = o.secretIdRef();
    }

    @Override
    TokenSession login(long generation, boolean refresh, SecretRef ref)
        throws InterruptedException {
      String role = roleId != null ? roleId
          : resolveBootstrap(roleIdRef, refresh, "AppRole role-id", ref);
      String secretId = resolveBootstrap(secretIdRef, refresh, "AppRole secret-id", ref);
      Reply r = retrying.run(ref, "AppRole login",
          () -> gateway.loginAppRole(namespace, mount, role, secretId));
      try {
        if (r.status() == 400 || r.status() == 403 || r.status() == 401) {
          // The next attempt re-reads the secret-id: it may have been rotated meanwhile.
          bootstrap.invalidate(secretIdRef, SecretContext.system());
          throw SecretException.accessDenied(
              ref,
              "Vault refused the AppRole login at auth/" + mount + "/login"
                  + Errors.inNamespace(namespace) + " (" + r.status()
                  + "): the role-id or secret-id is wrong, expired or used up",
              "Generate a new secret-id (vault write -f auth/" + mount
                  + "/role/<role>/secret-id) and store it under '" + secretIdRef + "'");
        }
        if (!r.ok()) {
          throw Errors.unexpected(ref, r.status(), "the AppRole login", gateway.address(), r);
        }
        JsonNode auth = r.json().path("auth");
        String token = auth.path("client_token").asText("");
        if (token.isEmpty()) {
          throw SecretException.providerUnavailable(
              ref,
              "Vault answered the AppRole login at auth/" + mount + "/login without a token",
              "Check that auth/" + mount + " is an AppRole auth method");
        }
        return TokenSession.of(generation, VaultToken.of(token), clock.instant(),
            auth.path("lease_duration").asLong(0), auth.path("renewable").asBoolean(false),
            false, renewAt);
      } finally {
        r.wipe();
      }
    }


    @Override
    String describe() {
      return "AppRole at auth/" + mount;
    }
  }
}
