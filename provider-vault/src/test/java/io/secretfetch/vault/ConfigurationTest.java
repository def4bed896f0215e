package io.secretfetch.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.kit.MutableClock;
import io.secretfetch.vault.fake.FakeVault;
import io.secretfetch.vault.internal.Collaborators;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  private FakeVault vault;
  private final List<String> envReads = new CopyOnWriteArrayList<>();
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    vault = FakeVault.start(Clock.systemUTC());
    vault.mount("secret", 2);
    vault.put("secret/app", Map.of("password", "from-vault"));
  }

  @AfterEach
  void tearDown() {
    vault.close();
  }

  private VaultSecretProviderFactory factory() {
    return new VaultSecretProviderFactory(new Collaborators(new MutableClock(),
        d -> { }, () -> 0.5, name -> {
          envReads.add(name);
          return env.get(name);
        }));
  }

  private static SecretException configError(Runnable r) {
    try {
      r.run();
    } catch (SecretException e) {
      assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
      return e;
    }
    throw new AssertionError("no CONFIGURATION error");
  }

  private SecretException create(Map<String, String> settings) {
    return configError(() -> factory().create(new ProviderConfig("vault", "vault", settings),
        null));
  }

  @Test
  void foundByServiceLoaderAndBootstrappedFromThePlatformStore() {
    vault.appRole("role-1", "sid-1", Duration.ofHours(1), Duration.ofHours(2));
    InMemorySecretProvider platform = new InMemorySecretProvider("platform");
    platform.put("vault/approle-secret-id", "sid-1");
    try (SecretResolver resolver = SecretResolver.builder()
        .provider(platform)
        .provider(new ProviderConfig("vault", "vault", Map.of(
            "address", vault.address(),
            "approle.role-id", "role-1",
            "approle.secret-id-ref", "platform:vault/approle-secret-id",
            "retry.max-attempts", "1")))
        .build();
        SecretValue pw = resolver.resolve("vault:secret/app#password", SecretContext.system())) {
      assertThat(pw.reveal()).isEqualTo("from-vault");
      assertThat(resolver.masker()).isNotNull();
    }
    assertThat(vault.logins()).isEqualTo(1);
  }

  @Test
  void theEnvironmentIsNotReadUnlessConfigured() {
    env.put("VAULT_ADDR", vault.address());
    env.put("VAULT_TOKEN", vault.issueToken(Duration.ZERO, Duration.ZERO, false));
    SecretException e = create(Map.of("mounts", "secret=2"));
    assertThat(e.detail()).contains("'address'");
    var p = factory().create(new ProviderConfig("vault", "vault",
        Map.of("address", vault.address(), "token", "hvs.configured", "mounts", "secret=2",
            "retry.max-attempts", "1")), null);
    assertThatThrownBy(() -> p.fetch(io.secretfetch.api.SecretRef.parse("vault:secret/app"),
        SecretContext.system())).isInstanceOf(SecretException.class);
    assertThat(envReads).isEmpty();
    assertThat(vault.requests()).noneSatisfy(
        r -> assertThat(r.token()).isEqualTo(env.get("VAULT_TOKEN")));
  }

  @Test
  void theEnvironmentStandsInForMissingSettingsWhenAllowed() {
    env.put("VAULT_ADDR", vault.address());
    env.put("VAULT_TOKEN", vault.issueToken(Duration.ZERO, Duration.ZERO, false));
    var p = factory().create(new ProviderConfig("vault", "vault",
        Map.of("read-environment", "true", "mounts", "secret=2")), null);
    try (SecretValue v = p.fetch(io.secretfetch.api.SecretRef.parse("vault:secret/app"),
        SecretContext.system())) {
      assertThat(v.revealJson().path("password").asText()).isEqualTo("from-vault");
    }
    assertThat(envReads).contains("VAULT_ADDR", "VAULT_TOKEN")
        .allSatisfy(n -> assertThat(n).startsWith("VAULT_"));
  }

  @Test
  void settingsAreCheckedAtStartWithRemedies() {
    assertThat(create(Map.of("address", vault.address(), "token", "t", "tokn", "x")).remedy())
        .contains("known settings");
    assertThat(create(Map.of("address", "ftp://vault", "token", "t")).detail())
        .contains("not an http(s) URL");
    assertThat(create(Map.of("address", vault.address())).remedy()).contains("token-ref");
    assertThat(create(Map.of("address", vault.address(), "auth", "approle",
        "approle.role-id", "r")).detail()).contains("approle.secret-id-ref");
    assertThat(create(Map.of("address", vault.address(), "approle.secret-id-ref",
        "platform:x")).detail()).contains("approle.role-id");
    assertThat(create(Map.of("address", vault.address(), "token", "t", "mounts",
        "secret=3")).remedy()).contains("secret=2, team/kv=2");
    assertThat(create(Map.of("address", vault.address(), "token", "t", "tenancy",
        "per-path")).remedy()).contains("shared", "namespace");
    assertThat(create(Map.of("address", vault.address(), "token", "t", "token.renew-at",
        "1.5")).remedy()).contains("0.95");
    assertThat(create(Map.of("address", vault.address(), "token-ref", "vault:loop")).detail())
        .contains("itself");
    assertThat(create(Map.of("address", vault.address(), "token", "t", "tls.ca-file",
        "/nonexistent/ca.pem")).detail()).contains("tls.ca-file");
  }

  @Test
  void configurationNeverPrintsTheToken() {
    var config = new ProviderConfig("vault", "vault",
        Map.of("address", vault.address(), "token", "hvs.very-secret-token"));
    var p = factory().create(config, null);
    assertThat(p.toString()).doesNotContain("hvs.very-secret-token");
    assertThat(config.toString()).doesNotContain("hvs.very-secret-token");
    assertThat(new VaultSecretProviderFactory().type()).isEqualTo("vault");
  }
}
