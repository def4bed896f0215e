package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckAndListTest {
  private static final SecretContext CTX = SecretContext.system();
  private VaultFixture f;
  private Map<String, String> settings;

  @BeforeEach
  void setUp() throws Exception {
    f = new VaultFixture();
    f.vault.mount("secret", 2).mount("legacy", 1);
    f.vault.put("secret/team/api", Map.of("k", "1"));
    f.vault.put("secret/team/api", Map.of("k", "2"));
    f.vault.put("secret/team/db", Map.of("k", "x"));
    f.vault.put("secret/team/sub/deep", Map.of("k", "x"));
    f.vault.put("secret/gone", Map.of("k", "x"));
    f.vault.deleteVersion("secret/gone", 1);
    f.vault.put("legacy/app/one", Map.of("k", "x"));
    settings = f.tokenSettings(f.vault.issueToken(Duration.ZERO, Duration.ZERO, false));
    settings.put("mounts", "secret=2, legacy=1");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static SecretRef ref(String s) {
    return SecretRef.parse(s);
  }

  @Test
  void kv2ChecksReadMetadataOnlyAndReportEachProblem() {
    List<SecretRef> refs = List.of(ref("vault:secret/team/api"), ref("vault:secret/team/api@1"),
        ref("vault:secret/team/api@9"), ref("vault:secret/nope"), ref("vault:secret/gone"),
        ref("vault:secret/team/api@x"));
    Map<SecretRef, SecretCheck> out = f.provider(settings).check(refs, CTX);
    assertThat(out.get(refs.get(0)).isOk()).isTrue();
    assertThat(out.get(refs.get(1)).isOk()).isTrue();
    assertThat(out.get(refs.get(2)).error()).isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(out.get(refs.get(3)).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(out.get(refs.get(4)).error()).isEqualTo(SecretError.DELETED);
    assertThat(out.get(refs.get(5)).error()).isEqualTo(SecretError.INVALID_REFERENCE);
    assertThat(f.vault.requests()).noneSatisfy(
        r -> assertThat(r.path()).contains("/data/"));
  }

  @Test
  void aDeniedMetadataReadNamesBothPolicies() {
    f.vault.deny("secret/metadata/team/api");
    SecretRef r = ref("vault:secret/team/api");
    SecretCheck c = f.provider(settings).check(List.of(r), CTX).get(r);
    assertThat(c.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(c.problem().remedy())
        .contains("path \"secret/metadata/team/api\" { capabilities = [\"read\"] }")
        .contains("path \"secret/data/team/api\" { capabilities = [\"read\"] }");
  }

  @Test
  void kv1ChecksListTheParentByDefault() {
    SecretRef ok = ref("vault:legacy/app/one");
    SecretRef missing = ref("vault:legacy/app/two");
    Map<SecretRef, SecretCheck> out = f.provider(settings).check(List.of(ok, missing), CTX);
    assertThat(out.get(ok).isOk()).isTrue();
    assertThat(out.get(missing).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(f.vault.requests()).anySatisfy(x -> {
      assertThat(x.path()).isEqualTo("/v1/legacy/app/");
      assertThat(x.query()).isEqualTo("list=true");
    });
    assertThat(f.vault.requests()).noneSatisfy(
        x -> assertThat(x.path()).isEqualTo("/v1/legacy/app/one"));
  }

  @Test
  void kv1ListDenialSuggestsListPolicyOrReadMode() {
    f.vault.deny("legacy/app/");
    SecretRef r = ref("vault:legacy/app/one");
    SecretCheck c = f.provider(settings).check(List.of(r), CTX).get(r);
    assertThat(c.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(c.problem().remedy()).contains("\"list\"").contains("kv1-check=read");
  }

  @Test
  void kv1ReadModeChecksWithADiscardedRead() {
    settings.put("kv1-check", "read");
    SecretRef ok = ref("vault:legacy/app/one");
    SecretRef missing = ref("vault:legacy/app/two");
    Map<SecretRef, SecretCheck> out = f.provider(settings).check(List.of(ok, missing), CTX);
    assertThat(out.get(ok).isOk()).isTrue();
    assertThat(out.get(missing).error()).isEqualTo(SecretError.NOT_FOUND);
  }

  @Test
  void anUnavailableVaultFailsTheWholeCheck() {
    VaultKvProvider p = f.provider(settings);
    p.list("secret/", CTX); // logged in
    f.vault.sealed(true);
    assertThatThrownBy(() -> p.check(List.of(ref("vault:secret/team/api")), CTX))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE));
  }

  @Test
  void listReturnsNamesUnderAPathWithoutValues() {
    VaultKvProvider p = f.provider(settings);
    assertThat(p.list("secret/team/", CTX)).extracting(SecretSummary::name)
        .containsExactly("secret/team/api", "secret/team/db", "secret/team/sub/");
    assertThat(p.list("secret/team/a", CTX)).extracting(SecretSummary::name)
        .containsExactly("secret/team/api");
    assertThat(p.list("secret/team/sub/", CTX)).singleElement()
        .satisfies(s -> assertThat(s.attributes()).containsEntry("kind", "secret"));
    assertThat(p.list("secret", CTX)).extracting(SecretSummary::name)
        .contains("secret/gone", "secret/team/");
    assertThat(p.list("legacy/app/", CTX)).extracting(SecretSummary::name)
        .containsExactly("legacy/app/one");
    assertThat(p.list("secret/nothing/", CTX)).isEmpty();
    assertThat(p.list("", CTX)).extracting(SecretSummary::name)
        .containsExactly("secret/", "legacy/");
    assertThat(f.vault.requests()).noneSatisfy(r -> assertThat(r.path()).contains("/data/"));
  }

  @Test
  void aDeniedListNamesTheListPolicy() {
    f.vault.deny("secret/metadata/team");
    assertThatThrownBy(() -> f.provider(settings).list("secret/team/", CTX))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.ACCESS_DENIED);
          assertThat(e.remedy())
              .contains("path \"secret/metadata/team/\" { capabilities = [\"list\"] }");
        });
  }
}
