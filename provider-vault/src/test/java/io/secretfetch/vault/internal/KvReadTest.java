package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KvReadTest {
  private static final SecretContext CTX = SecretContext.system();
  private VaultFixture f;
  private String token;

  @BeforeEach
  void setUp() throws Exception {
    f = new VaultFixture();
    f.vault.mount("secret", 2).mount("team/kv", 2).mount("legacy", 1);
    token = f.vault.issueToken(Duration.ZERO, Duration.ZERO, false);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private VaultKvProvider provider() {
    Map<String, String> s = f.tokenSettings(token);
    s.put("mounts", "secret=2, team/kv=2, legacy=1");
    return f.provider(s);
  }

  private static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  @Test
  void kv2ReturnsTheDataMapAsJsonWithTheCurrentVersion() {
    f.vault.put("secret/app", Map.of("password", "pw-1"));
    f.vault.put("secret/app", Map.of("password", "pw-2", "user", "svc", "port", 5432));
    try (SecretValue v = provider().fetch(ref("vault:secret/app"), CTX)) {
      assertThat(v.version()).isEqualTo("2");
      assertThat(v.revealJson().path("password").asText()).isEqualTo("pw-2");
      assertThat(v.revealJson().path("port").asInt()).isEqualTo(5432);
      assertThat(v.toString()).doesNotContain("pw-2");
    }
    assertThat(f.vault.requests()).anySatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/secret/data/app");
      assertThat(r.token()).isEqualTo(token);
    });
  }

  @Test
  void pinnedVersionIsReadWithTheVersionParameter() {
    f.vault.put("secret/app", Map.of("password", "old"));
    f.vault.put("secret/app", Map.of("password", "new"));
    VaultKvProvider p = provider();
    try (SecretValue v = p.fetch(ref("vault:secret/app@1"), CTX)) {
      assertThat(v.version()).isEqualTo("1");
      assertThat(v.revealJson().path("password").asText()).isEqualTo("old");
    }
    assertThat(f.vault.requests()).anySatisfy(r -> assertThat(r.query()).isEqualTo("version=1"));
    assertThat(p.immutable(ref("vault:secret/app@1"))).isTrue();
    assertThat(p.immutable(ref("vault:secret/app"))).isFalse();
  }

  @Test
  void fieldSelectionWorksThroughTheResolver() {
    f.vault.put("secret/app", Map.of("password", "s3cret", "user", "svc"));
    try (SecretResolver resolver = SecretResolver.builder().provider(provider()).build();
        SecretValue pw = resolver.resolve("vault:secret/app#password", CTX)) {
      assertThat(pw.reveal()).isEqualTo("s3cret");
      assertThat(pw.ref().field()).isEqualTo("password");
    }
  }

  @Test
  void multiSegmentMountsAndNamesWithSpacesAndUnicode() {
    f.vault.put("team/kv/team a/api", Map.of("k", "v1"));
    f.vault.put("team/kv/zürich/api", Map.of("k", "v2"));
    VaultKvProvider p = provider();
    try (SecretValue v = p.fetch(ref("vault:team/kv/team a/api"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v1");
    }
    try (SecretValue v = p.fetch(ref("vault:team/kv/zürich/api"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v2");
    }
    assertThat(f.vault.requests()).anySatisfy(
        r -> assertThat(r.path()).isEqualTo("/v1/team/kv/data/team a/api"));
  }

  @Test
  void kv1ReadsHaveTheVersionLabelCurrentAndRefuseVersionPins() {
    f.vault.put("legacy/db", Map.of("password", "p"));
    VaultKvProvider p = provider();
    try (SecretValue v = p.fetch(ref("vault:legacy/db"), CTX)) {
      assertThat(v.version()).isEqualTo("current");
      assertThat(v.revealJson().path("password").asText()).isEqualTo("p");
    }
    try (SecretValue v = p.fetch(ref("vault:legacy/db@current"), CTX)) {
      assertThat(v.revealJson().path("password").asText()).isEqualTo("p");
    }
    assertThatThrownBy(() -> p.fetch(ref("vault:legacy/db@2"), CTX))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE))
        .hasMessageContaining("keeps no versions");
  }

  @Test
  void mountsAreDetectedFromTheUiMountsEndpoint() {
    f.vault.put("team/kv/app", Map.of("k", "v"));
    f.vault.put("legacy/app", Map.of("k", "v1"));
    VaultKvProvider p = f.provider(f.tokenSettings(token));
    try (SecretValue v = p.fetch(ref("vault:team/kv/app"), CTX)) {
      assertThat(v.version()).isEqualTo("1");
    }
    try (SecretValue v = p.fetch(ref("vault:legacy/app"), CTX)) {
      assertThat(v.version()).isEqualTo("current");
    }
    p.fetch(ref("vault:team/kv/app"), CTX).close();
    assertThat(f.vault.requests().stream()
        .filter(r -> r.path().startsWith("/v1/sys/internal/ui/mounts/"))).hasSize(2);
  }

  @Test
  void detectionFallsBackToSysMountsWhenTheUiEndpointIsDenied() {
    f.vault.deny("sys/internal/ui/mounts");
    f.vault.put("team/kv/app", Map.of("k", "v"));
    VaultKvProvider p = f.provider(f.tokenSettings(token));
    try (SecretValue v = p.fetch(ref("vault:team/kv/app"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("v");
    }
    assertThat(f.vault.requests()).anySatisfy(r -> assertThat(r.path()).isEqualTo(
        "/v1/sys/mounts"));
  }

  @Test
  void withoutDetectionAnUnconfiguredMountIsAConfigurationError() {
    Map<String, String> s = f.tokenSettings(token);
    s.put("mounts", "secret=2");
    s.put("mount-detection", "false");
    assertThatThrownBy(() -> f.provider(s).fetch(ref("vault:other/app"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.remedy()).contains("mounts");
        });
  }

  @Test
  void namespaceIsSentOnEveryRequest() {
    f.vault.mount("team-a", "secret", 2);
    f.vault.put("team-a", "secret/app", Map.of("k", "ns"));
    Map<String, String> s = f.tokenSettings(token);
    s.put("namespace", "team-a");
    try (SecretValue v = f.provider(s).fetch(ref("vault:secret/app"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("ns");
    }
    assertThat(f.vault.requests()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("team-a"));
  }

  @Test
  void tenantsReadTheirOwnChildNamespaceInNamespaceTenancy() {
    f.vault.mount("org", "secret", 2);
    f.vault.mount("org/acme", "secret", 2);
    f.vault.put("org", "secret/app", Map.of("k", "default"));
    f.vault.put("org/acme", "secret/app", Map.of("k", "acme"));
    Map<String, String> s = f.tokenSettings(token);
    s.put("namespace", "org");
    s.put("tenancy", "namespace");
    VaultKvProvider p = f.provider(s);
    try (SecretValue v = p.fetch(ref("vault:secret/app"), SecretContext.forTenant("acme"))) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("acme");
    }
    try (SecretValue v = p.fetch(ref("vault:secret/app"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("default");
    }
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/app"), SecretContext.forTenant("../x")))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED));
  }

  @Test
  void deletedAndDestroyedVersionsAreDeletedWithARemedy() {
    f.vault.put("secret/app", Map.of("k", "1"));
    f.vault.put("secret/app", Map.of("k", "2"));
    f.vault.put("secret/app", Map.of("k", "3"));
    f.vault.deleteVersion("secret/app", 3);
    f.vault.destroyVersion("secret/app", 1);
    VaultKvProvider p = provider();
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/app"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.DELETED);
          assertThat(e.detail()).contains("version 3 was deleted");
          assertThat(e.remedy()).contains("vault kv undelete -mount=secret -versions=3 app");
        });
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/app@1"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.DELETED);
          assertThat(e.detail()).contains("version 1 was destroyed");
        });
    try (SecretValue v = p.fetch(ref("vault:secret/app@2"), CTX)) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("2");
    }
  }

  @Test
  void missingVersionAndMissingSecretAreToldApart() {
    f.vault.put("secret/app", Map.of("k", "1"));
    VaultKvProvider p = provider();
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/app@7"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
          assertThat(e.detail()).contains("versions 1 to 1 exist");
        });
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/nope@2"), CTX))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND));
    assertThatThrownBy(() -> p.fetch(ref("vault:secret/data/app"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
          assertThat(e.remedy()).contains("leave out the API's 'data/' segment");
        });
    assertThatThrownBy(() -> p.fetch(ref("vault:legacy/none"), CTX))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND));
  }

  @Test
  void forbiddenReadsNameThePolicyPath() {
    f.vault.put("secret/app", Map.of("k", "1"));
    f.vault.deny("secret/data/app");
    assertThatThrownBy(() -> provider().fetch(ref("vault:secret/app"), CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
          assertThat(e.remedy())
              .contains("path \"secret/data/app\" { capabilities = [\"read\"] }");
        });
  }

  @Test
  void unusableReferencesAreRefusedBeforeAnyRequest() {
    VaultKvProvider p = provider();
    for (String bad : new String[] {"vault:secret/../sys/seal", "vault:secret//x",
        "vault:secret/a%25b", "vault:secret", "vault:secret/app@0", "vault:secret/app@x"}) {
      assertThatThrownBy(() -> p.fetch(ref(bad), CTX))
          .as(bad)
          .isInstanceOfSatisfying(SecretException.class,
              e -> assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE));
    }
    assertThat(f.vault.requests()).allSatisfy(
        r -> assertThat(r.path()).startsWith("/v1/auth/token/"));
  }

  @Test
  void theLoopbackServerRejectsAuthPostsWithoutJsonContentType() throws Exception {
    // What the driver sends on its own: a JSON body and no Content-Type. Our HTTP client adds it.
    var client = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(f.vault.address() + "/v1/auth/approle/login"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"role_id\":\"r\"}"))
        .build();
    var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"errors\"");
    assertThat(JsonContentTypeHttpClient.withJsonContentType(request).headers()
        .firstValue("Content-Type")).contains("application/json");
  }
}
