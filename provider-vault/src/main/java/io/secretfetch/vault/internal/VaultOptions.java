package io.secretfetch.vault.internal;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.vault.VaultSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A {@code vault} provider's configuration, parsed and checked once at start. Every problem is a
 * {@code CONFIGURATION} error naming the setting and the fix. Credentials are never held here:
 * only where they come from (a literal token is kept as a {@link VaultToken}).
 */
public record VaultOptions(
    String providerId,
    URI address,
    String namespace,
    String authNamespace,
    Tenancy tenancy,
    AuthMethod auth,
    VaultToken token,
    SecretRef tokenRef,
    String appRoleMount,
    String roleId,
    SecretRef roleIdRef,
    SecretRef secretIdRef,
    double renewAt,
    List<KvMount> mounts,
    boolean mountDetection,
    Kv1Check kv1Check,
    String caPem,
    String clientCertPem,
    Path clientKeyFile,
    SecretRef clientKeyRef,
    Duration connectTimeout,
    Duration readTimeout,
    Backoff backoff,
    boolean readEnvironment) {

  /** How tenants map onto Vault. */
  public enum Tenancy {
    /** Every tenant reads the same paths. */
    SHARED,
    /** Tenant T reads the child namespace {@code <namespace>/T}; the default tenant reads the
     * configured namespace. */
    NAMESPACE
  }

  /** How the provider authenticates. */
  public enum AuthMethod {
    TOKEN,
    APPROLE
  }

  /** How {@code check} probes a KV v1 secret, which has no metadata endpoint. */
  public enum Kv1Check {
    /** LIST the parent path and look for the name: needs {@code list} on the parent. */
    LIST,
    /** Read the secret and discard the value at once: needs only {@code read}. */
    READ
  }

  @Override
  public String toString() {
    return "VaultOptions[provider=" + providerId + ", address=" + address + ", namespace="
        + namespace + ", auth=" + auth + ", mounts=" + mounts + "]";
  }

  /** Parses {@code config}; {@code environment} is consulted only if {@code read-environment}. */
  public static VaultOptions parse(ProviderConfig config, UnaryOperator<String> environment) {
    Parser p = new Parser(config, environment);
    return p.parse();
  }

  private static final class Parser {
    private final ProviderConfig config;
    private final UnaryOperator<String> environment;
    private boolean readEnvironment;

    Parser(ProviderConfig config, UnaryOperator<String> environment) {
      this.config = config;
      this.environment = environment;
    }

    VaultOptions parse() {
      TreeSet<String> unknown = new TreeSet<>(config.settings().keySet());
      unknown.removeAll(VaultSettings.ALL);
      if (!unknown.isEmpty()) {
        throw error(
            "has unknown settings " + unknown,
            "Remove them or correct their spelling; known settings: "
                + new TreeSet<>(VaultSettings.ALL));
      }
      readEnvironment = config.flag(VaultSettings.READ_ENVIRONMENT, false);

      URI address = address();
      String namespace = setting(VaultSettings.NAMESPACE, "VAULT_NAMESPACE").map(Parser::ns)
          .orElse(null);
      String authNamespace = config.get(VaultSettings.AUTH_NAMESPACE).map(Parser::ns)
          .orElse(namespace);
      Tenancy tenancy = choice(VaultSettings.TENANCY, Tenancy.class, Tenancy.SHARED);

      VaultToken token = config.get(VaultSettings.TOKEN).map(VaultToken::of).orElse(null);
      SecretRef tokenRef = ref(VaultSettings.TOKEN_REF);
      SecretRef secretIdRef = ref(VaultSettings.APPROLE_SECRET_ID_REF);
      AuthMethod auth =
          choice(
              VaultSettings.AUTH,
              AuthMethod.class,
              secretIdRef != null ? AuthMethod.APPROLE : AuthMethod.TOKEN);
      String roleId = config.get(VaultSettings.APPROLE_ROLE_ID).map(String::trim).orElse(null);
      SecretRef roleIdRef = ref(VaultSettings.APPROLE_ROLE_ID_REF);
      String appRoleMount =
          KvMount.trimSlashes(config.get(VaultSettings.APPROLE_MOUNT).orElse("approle"));
      if (auth == AuthMethod.TOKEN) {
        if (token == null && tokenRef == null && readEnvironment) {
          String fromEnv = environment.apply("VAULT_TOKEN");
          token = fromEnv == null || fromEnv.isBlank() ? null : VaultToken.of(fromEnv.trim());
        }
        if (token == null && tokenRef == null) {
          throw error(
              "has no token",
              "Set '" + VaultSettings.TOKEN_REF + "' to a reference such as platform:vault/token,"
                  + " or set '" + VaultSettings.AUTH + "=approle' with '"
                  + VaultSettings.APPROLE_SECRET_ID_REF + "'");
        }
        if (token != null && tokenRef != null) {
          throw error(
              "has both '" + VaultSettings.TOKEN + "' and '" + VaultSettings.TOKEN_REF + "'",
              "Keep one of them");
        }
      } else {
        if (secretIdRef == null) {
          throw error(
              "uses AppRole but has no '" + VaultSettings.APPROLE_SECRET_ID_REF + "'",
              "Store the secret-id in the platform store and set '"
                  + VaultSettings.APPROLE_SECRET_ID_REF
                  + "' to its reference, e.g. platform:vault/approle-secret-id");
        }
        if ((roleId == null) == (roleIdRef == null)) {
          throw error(
              "needs exactly one of '" + VaultSettings.APPROLE_ROLE_ID + "' and '"
                  + VaultSettings.APPROLE_ROLE_ID_REF + "'",
              "Set the role-id (vault read auth/" + appRoleMount + "/role/<role>/role-id)");
        }
        if (token != null || tokenRef != null) {
          throw error(
              "uses AppRole but also sets a token", "Remove '" + VaultSettings.TOKEN + "' and '"
                  + VaultSettings.TOKEN_REF + "', or set '" + VaultSettings.AUTH + "=token'");
        }
      }

      double renewAt = fraction(VaultSettings.TOKEN_RENEW_AT, 0.67, false);
      List<KvMount> mounts = mounts();
      boolean detection = config.flag(VaultSettings.MOUNT_DETECTION, true);
      Kv1Check kv1Check = choice(VaultSettings.KV1_CHECK, Kv1Check.class, Kv1Check.LIST);

      String caPem = config.get(VaultSettings.TLS_CA_PEM).orElse(null);
      Optional<String> caFile = setting(VaultSettings.TLS_CA_FILE, "VAULT_CACERT");
      if (caPem != null && caFile.isPresent()) {
        throw error(
            "has both '" + VaultSettings.TLS_CA_PEM + "' and '" + VaultSettings.TLS_CA_FILE + "'",
            "Keep one of them");
      }
      if (caFile.isPresent()) {
        caPem = readFile(VaultSettings.TLS_CA_FILE, caFile.get());
      }
      String clientCertPem =
          config.get(VaultSettings.TLS_CLIENT_CERT_FILE)
              .map(f -> readFile(VaultSettings.TLS_CLIENT_CERT_FILE, f))
              .orElse(null);
      Path clientKeyFile = config.get(VaultSettings.TLS_CLIENT_KEY_FILE).map(Path::of).orElse(null);
      SecretRef clientKeyRef = ref(VaultSettings.TLS_CLIENT_KEY_REF);
      if (clientKeyFile != null && clientKeyRef != null) {
        throw error(
            "has both '" + VaultSettings.TLS_CLIENT_KEY_FILE + "' and '"
                + VaultSettings.TLS_CLIENT_KEY_REF + "'",
            "Keep one of them");
      }
      boolean hasKey = clientKeyFile != null || clientKeyRef != null;
      if ((clientCertPem != null) != hasKey) {
        throw error(
            "has a client certificate without a key, or a key without a certificate",
            "Set '" + VaultSettings.TLS_CLIENT_CERT_FILE + "' together with '"
                + VaultSettings.TLS_CLIENT_KEY_FILE + "' or '" + VaultSettings.TLS_CLIENT_KEY_REF
                + "'");
      }
      if ((caPem != null || clientCertPem != null) && !"https".equals(address.getScheme())) {
        throw error(
            "configures TLS but its address is not https",
            "Use an https:// address, or remove the tls.* settings");
      }

      Duration connectTimeout = positive(VaultSettings.CONNECT_TIMEOUT, Duration.ofSeconds(5));
      Duration readTimeout = positive(VaultSettings.READ_TIMEOUT, Duration.ofSeconds(30));
      int attempts = integer(VaultSettings.RETRY_MAX_ATTEMPTS, 4);
      Duration initial = config.duration(VaultSettings.RETRY_INITIAL_BACKOFF,
          Duration.ofMillis(200));
      Duration max = config.duration(VaultSettings.RETRY_MAX_BACKOFF, Duration.ofSeconds(5));
      if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
        throw error(
            "has retry delays that are negative, or a maximum below the initial delay",
            "Set '" + VaultSettings.RETRY_INITIAL_BACKOFF + "' <= '"
                + VaultSettings.RETRY_MAX_BACKOFF + "'");
      }
      double jitter = fraction(VaultSettings.RETRY_JITTER, 0.5, true);

      return new VaultOptions(
          config.id(), address, namespace, authNamespace, tenancy, auth, token, tokenRef,
          appRoleMount, roleId, roleIdRef, secretIdRef, renewAt, mounts, detection, kv1Check,
          caPem, clientCertPem, clientKeyFile, clientKeyRef, connectTimeout, readTimeout,
          new Backoff(attempts, initial, max, jitter), readEnvironment);
    }

    private URI address() {
      String raw =
          setting(VaultSettings.ADDRESS, "VAULT_ADDR")
              .orElseThrow(
                  () ->
                      error(
                          "has no '" + VaultSettings.ADDRESS + "'",
                          "Set '" + VaultSettings.ADDRESS
                              + "' to Vault's URL, e.g. https://vault.example.com:8200"));
      try {
        URI uri = new URI(raw.trim());
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
            || uri.getHost() == null
            || uri.getRawQuery() != null
            || uri.getRawFragment() != null
            || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/"))) {
          throw new URISyntaxException(raw, "not an http(s) origin");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
      } catch (URISyntaxException e) {
        throw error(
            "has an address '" + raw + "' that is not an http(s) URL without a path",
            "Write it as https://host:port, e.g. https://vault.example.com:8200");
      }
    }

    private List<KvMount> mounts() {
      List<KvMount> out = new ArrayList<>();
      Optional<String> raw = config.get(VaultSettings.MOUNTS);
      if (raw.isEmpty()) {
        return List.of();
      }
      for (String item : raw.get().split(",")) {
        String entry = item.trim();
        if (entry.isEmpty()) {
          continue;
        }
        int eq = entry.lastIndexOf('=');
        try {
          if (eq < 0) {
            throw new IllegalArgumentException("no version");
          }
          KvMount m = new KvMount(entry.substring(0, eq), Integer.parseInt(
              entry.substring(eq + 1).trim()));
          if (out.stream().anyMatch(o -> o.path().equals(m.path()))) {
            throw new IllegalArgumentException("twice");
          }
          out.add(m);
        } catch (IllegalArgumentException e) {
          throw error(
              "has a mount entry '" + entry + "' that is not PATH=1 or PATH=2 (or is repeated)",
              "Write '" + VaultSettings.MOUNTS + "' as e.g. secret=2, team/kv=2, legacy=1");
        }
      }
      return List.copyOf(out);
    }

    private Optional<String> setting(String key, String envName) {
      Optional<String> v = config.get(key);
      if (v.isPresent() || !readEnvironment) {
        return v;
      }
      return Optional.ofNullable(environment.apply(envName)).filter(s -> !s.isBlank());
    }

    private SecretRef ref(String key) {
      Optional<String> raw = config.get(key);
      if (raw.isEmpty()) {
        return null;
      }
      Optional<SecretRef> ref = SecretRef.tryParse(raw.get().trim());
      if (ref.isEmpty() || ref.get().provider() == null) {
        throw error(
            "has '" + key + "' = '" + raw.get() + "', which is not a reference with a provider",
            "Write it as provider:name, e.g. platform:vault/approle-secret-id");
      }
      if (ref.get().provider().equals(config.id())) {
        throw error(
            "has '" + key + "' pointing at itself", "Keep bootstrap credentials in another"
                + " provider, e.g. the platform store");
      }
      return ref.get();
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
      Optional<String> raw = config.get(key);
      if (raw.isEmpty()) {
        return fallback;
      }
      String v = raw.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(v)) {
          return e;
        }
      }
      List<String> allowed = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        allowed.add(e.name().toLowerCase(Locale.ROOT));
      }
      throw error("has '" + key + "' = '" + raw.get() + "'", "Use one of " + allowed);
    }

    private double fraction(String key, double fallback, boolean zeroAllowed) {
      Optional<String> raw = config.get(key);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        double d = Double.parseDouble(raw.get().trim());
        if ((zeroAllowed ? d >= 0 : d > 0) && d <= (zeroAllowed ? 1 : 0.95)) {
          return d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw error(
          "has '" + key + "' = '" + raw.get() + "', not a fraction in range",
          zeroAllowed ? "Use a number from 0 to 1, e.g. 0.5" : "Use a number above 0 and at most"
              + " 0.95, e.g. 0.67");
    }

    private int integer(String key, int fallback) {
      Optional<String> raw = config.get(key);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        int i = Integer.parseInt(raw.get().trim());
        if (i >= 1 && i <= 20) {
          return i;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw error("has '" + key + "' = '" + raw.get() + "'", "Use a whole number from 1 to 20");
    }

    private Duration positive(String key, Duration fallback) {
      Duration d = config.duration(key, fallback);
      if (d.isNegative() || d.isZero()) {
        throw error("has '" + key + "' that is not positive", "Use e.g. PT5S or 5");
      }
      return d;
    }

    private String readFile(String key, String file) {
      try {
        return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw error(
            "cannot read '" + key + "' file " + file + " (" + e.getClass().getSimpleName() + ")",
            "Point '" + key + "' at a readable PEM file");
      }
    }

    private static String ns(String raw) {
      String n = KvMount.trimSlashes(raw);
      return n.isEmpty() ? null : n;
    }

    private SecretException error(String what, String remedy) {
      return SecretException.configuration(
          "vault provider '" + config.id() + "' " + what, remedy);
    }
  }
}
