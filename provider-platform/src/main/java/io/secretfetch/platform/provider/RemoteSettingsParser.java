package io.secretfetch.platform.provider;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.platform.auth.ServiceTokens;
import io.secretfetch.platform.provider.internal.PinnedTrust;
import io.secretfetch.platform.provider.internal.RemoteSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the remote mode's settings (see the module README for the table). Every problem is a
 * {@code CONFIGURATION} error naming the setting and the fix; no message quotes a key.
 */
final class RemoteSettingsParser {
  static final Set<String> LOCAL = Set.of("mode", "data-dir", "jdbc-url", "jdbc-user",
      "jdbc-password", "jdbc-password-env", "pool-size", "master-key-file", "master-key-env");
  static final Set<String> REMOTE = Set.of("mode", "url", "worker-key-file", "worker-key-env",
      "worker-key-ref", "worker-key-id", "worker-name", "audience", "server-certificate-sha256",
      "trust-store", "trust-store-password", "connect-timeout", "request-timeout",
      "token-lifetime", "retry.max-attempts", "retry.initial-backoff", "retry.max-backoff");

  private RemoteSettingsParser() {}

  /** Refuses settings that the mode does not know (typos, or the other mode's settings). */
  static void checkKeys(ProviderConfig config, boolean remote) {
    Set<String> known = remote ? REMOTE : LOCAL;
    Set<String> other = remote ? LOCAL : REMOTE;
    TreeSet<String> unknown = new TreeSet<>(config.settings().keySet());
    unknown.removeAll(known);
    if (unknown.isEmpty()) {
      return;
    }
    String mode = remote ? "remote" : "local";
    TreeSet<String> ofOther = new TreeSet<>(unknown);
    ofOther.retainAll(other);
    if (ofOther.equals(unknown)) {
      throw error(config, "sets " + unknown + ", which " + (unknown.size() == 1 ? "applies" : "apply")
          + " only to mode=" + (remote ? "local" : "remote") + ", but its mode is " + mode,
          remote ? "Remove them: a remote provider reads the store through the server"
              : "Set mode=remote to call the platform server, or remove them");
    }
    throw error(config, "has unknown settings " + unknown + " for mode=" + mode,
        "Remove them or correct their spelling; known settings: " + new TreeSet<>(known));
  }

  static RemoteSettings parse(ProviderConfig config, BootstrapSecrets bootstrap) {
    URI url = url(config);
    ECKey key = workerKey(config, bootstrap);
    String subject = config.get("worker-name").map(String::trim).orElse(key.getKeyID());
    String audience = config.get("audience").map(String::trim).orElse(url.toString());
    String pin = null;
    if (config.get("server-certificate-sha256").isPresent()) {
      pin = PinnedTrust.normalize(config.get("server-certificate-sha256").get());
      if (pin == null) {
        throw error(config, "setting 'server-certificate-sha256' is not a SHA-256 fingerprint",
            "Write the 64 hex digits the server logs at start (colons allowed)");
      }
    }
    KeyStore trustStore = trustStore(config);
    Duration tokenLifetime = positive(config, "token-lifetime", Duration.ofMinutes(1));
    if (tokenLifetime.compareTo(ServiceTokens.MAX_LIFETIME) > 0) {
      throw error(config, "setting 'token-lifetime' is above " + ServiceTokens.MAX_LIFETIME,
          "Set token-lifetime to at most PT5M; the server refuses longer-lived tokens");
    }
    Duration connect = positive(config, "connect-timeout", Duration.ofSeconds(5));
    Duration request = positive(config, "request-timeout", Duration.ofSeconds(10));
    int attempts = attempts(config);
    Duration initial = positive(config, "retry.initial-backoff", Duration.ofMillis(200));
    Duration max = positive(config, "retry.max-backoff", Duration.ofSeconds(5));
    if (max.compareTo(initial) < 0) {
      throw error(config, "setting 'retry.max-backoff' is shorter than 'retry.initial-backoff'",
          "Set retry.max-backoff to at least retry.initial-backoff");
    }
    return new RemoteSettings(url, key, subject, audience, pin, trustStore, tokenLifetime, connect,
        request, attempts, initial, max);
  }

  private static URI url(ProviderConfig config) {
    String raw = config.get("url").map(String::trim).orElseThrow(() -> error(config,
        "mode=remote needs the setting 'url'",
        "Set 'url' to the platform server, e.g. https://secrets.example:8443"));
    URI u;
    try {
      u = new URI(raw);
    } catch (URISyntaxException e) {
      throw error(config, "setting 'url' is not a URL", "Write it as https://host:port");
    }
    if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      throw error(config, "setting 'url' must be an https URL with a host, not '" + raw + "'",
          "Write it as https://host:port; the platform server has no plaintext listener");
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw error(config, "setting 'url' must not have user info, a query or a fragment",
          "Write it as https://host:port");
    }
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static ECKey workerKey(ProviderConfig config, BootstrapSecrets bootstrap) {
    List<String> sources = new java.util.ArrayList<>();
    for (String k : List.of("worker-key-file", "worker-key-env", "worker-key-ref")) {
      if (config.get(k).isPresent()) {
        sources.add(k);
      }
    }
    if (sources.size() != 1) {
      throw error(config, sources.isEmpty() ? "mode=remote needs the worker's private key"
              : "sets " + sources + "; give the worker key once",
          "Set exactly one of 'worker-key-file' (a JWK file), 'worker-key-env' (an environment"
              + " variable holding the JWK) or 'worker-key-ref' (a secret reference)");
    }
    String source = sources.get(0);
    String where = config.get(source).get().trim();
    String jwk;
    switch (source) {
      case "worker-key-file" -> {
        try {
          jwk = Files.readString(Path.of(where));
        } catch (IOException e) {
          throw error(config, "cannot read worker-key-file " + where + " ("
              + e.getClass().getSimpleName() + ")", "Check the path and that this process may read it");
        }
      }
      case "worker-key-env" -> {
        jwk = System.getenv(where);
        if (jwk == null) {
          throw error(config, "environment variable " + where + " (worker-key-env) is not set",
              "Set the variable to the worker's private JWK, or configure 'worker-key-file'");
        }
      }
      default -> {
        if (bootstrap == null) {
          throw error(config, "'worker-key-ref' needs a bootstrap resolver, and there is none",
              "Use 'worker-key-file' or 'worker-key-env'");
        }
        try (SecretValue v = bootstrap.resolve(SecretRef.parse(where), SecretContext.system())) {
          jwk = v.reveal();
        } catch (SecretException e) {
          throw new SecretException(SecretError.CONFIGURATION, null, "provider '" + config.id()
              + "': worker-key-ref could not be resolved (" + e.error() + ")",
              "Check the reference in 'worker-key-ref': " + e.remedy(), e);
        }
      }
    }
    ECKey key;
    try {
      key = ECKey.parse(jwk);
    } catch (ParseException | RuntimeException e) {
      // Never the parser's message: it can quote the key.
      throw error(config, "the worker key from " + source + " is not an EC JWK",
          "Give the worker's private EC P-256 key as JWK JSON (ServiceTokens.generateWorkerKey)");
    }
    if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
      throw error(config, "the worker key from " + source + " must be a private EC P-256 key (kid "
          + key.getKeyID() + ")", "Give the private JWK (with \"d\"), not the public one");
    }
    String kid = config.get("worker-key-id").map(String::trim).orElse(null);
    if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) {
      throw error(config, "setting 'worker-key-id' (" + kid + ") differs from the JWK's kid ("
          + key.getKeyID() + ")", "Remove 'worker-key-id' or make it match the key");
    }
    if (kid != null && key.getKeyID() == null) {
      key = new ECKey.Builder(key).keyID(kid).build();
    }
    if (key.getKeyID() == null || key.getKeyID().isBlank()) {
      throw error(config, "the worker key has no key id",
          "Set 'worker-key-id' to the kid the server trusts");
    }
    return key;
  }

  private static KeyStore trustStore(ProviderConfig config) {
    if (config.get("trust-store").isEmpty()) {
      if (config.get("trust-store-password").isPresent()) {
        throw error(config, "sets 'trust-store-password' without 'trust-store'",
            "Set 'trust-store' too, or remove the password");
      }
      return null;
    }
    Path file = Path.of(config.get("trust-store").get().trim());
    char[] password = config.get("trust-store-password").map(String::toCharArray).orElse(null);
    try {
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException | GeneralSecurityException e) {
      throw error(config, "cannot load trust-store " + file + " (" + e.getClass().getSimpleName()
          + ")", "Give a PKCS12 or JKS file and its 'trust-store-password'");
    }
  }

  private static Duration positive(ProviderConfig config, String key, Duration fallback) {
    Duration d = config.duration(key, fallback);
    if (d.isNegative() || d.isZero()) {
      throw error(config, "setting '" + key + "' must be positive",
          "Set " + key + " to a duration such as PT1S");
    }
    return d;
  }

  private static int attempts(ProviderConfig config) {
    String raw = config.get("retry.max-attempts").orElse("3").trim();
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 10) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw error(config, "setting 'retry.max-attempts' must be a number from 1 to 10",
        "Set retry.max-attempts to e.g. 3 (1 turns retries off)");
  }

  private static SecretException error(ProviderConfig config, String detail, String remedy) {
    return new SecretException(SecretError.CONFIGURATION, null,
        "provider '" + config.id() + "' " + detail, remedy);
  }
}
