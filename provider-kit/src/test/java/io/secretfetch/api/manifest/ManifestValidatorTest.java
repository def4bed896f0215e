package io.secretfetch.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {

  @Test
  void reportsEveryFailingUseWithFileElementCodeAndRemedyAfterOneBatchCheckPerProvider()
      throws Exception {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    InMemorySecretProvider other = new InMemorySecretProvider("other");
    memory.put("acme", "present", "v");
    memory.put("acme", "denied", "v");
    memory.deny("acme", "denied");
    other.put("acme", "elsewhere", "v");
    SecretManifest m = SecretManifest.of("b", List.of(
        new ManifestSlot("ok", null, SecretRef.parse("memory:present"),
            List.of(new SlotUsage("a.bpmn", "t1"))),
        new ManifestSlot("missing", null, SecretRef.parse("memory:absent"),
            List.of(new SlotUsage("a.bpmn", "t2"), new SlotUsage("b.bpmn", "t3/input"))),
        new ManifestSlot("denied", null, SecretRef.parse("memory:denied"), List.of()),
        new ManifestSlot("other", null, SecretRef.parse("other:elsewhere"), List.of()),
        new ManifestSlot("unbound", null, null, List.of(new SlotUsage("c.bpmn", "t4")))));

    try (SecretResolver resolver =
        SecretResolver.builder().provider(memory).provider(other).build()) {
      ValidationReport report =
          ManifestValidator.validate(m, resolver, SecretContext.forTenant("acme"));

      assertThat(memory.checkCount()).isEqualTo(1);
      assertThat(other.checkCount()).isEqualTo(1);
      assertThat(memory.fetchCount() + other.fetchCount()).isZero();
      assertThat(report.subject()).isEqualTo("bundle 'b' (tenant 'acme')");
      assertThat(report.problems()).extracting(p -> p.slot() + "|" + p.file() + "|" + p.element()
              + "|" + p.code())
          .containsExactlyInAnyOrder(
              "unbound|c.bpmn|t4|INVALID_REFERENCE",
              "missing|a.bpmn|t2|NOT_FOUND",
              "missing|b.bpmn|t3/input|NOT_FOUND",
              "denied|null|null|ACCESS_DENIED");
      assertThat(report.problems()).allSatisfy(p -> assertThat(p.remedy()).isNotBlank());
      assertThat(report.summary()).contains("[NOT_FOUND] slot 'missing' (used by t2 in a.bpmn,"
          + " ref memory:absent)");

      JsonNode json = new ObjectMapper().readTree(report.toJson());
      assertThat(json.get("ok").booleanValue()).isFalse();
      assertThat(json.get("problems")).hasSize(4);
      JsonNode first = json.get("problems").get(0);
      assertThat(first.get("slot").textValue()).isEqualTo("unbound");
      assertThat(first.get("file").textValue()).isEqualTo("c.bpmn");
      assertThat(first.get("code").textValue()).isEqualTo(SecretError.INVALID_REFERENCE.name());
      assertThat(report.toJson()).endsWith("}\n").isEqualTo(report.toJson());
    }
  }

  @Test
  void aManifestWhoseSlotsAllResolveIsOk() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put(null, "present", "v");
    SecretManifest m = SecretManifest.of("b", List.of(new ManifestSlot("ok", null,
        SecretRef.parse("present"), List.of(new SlotUsage("a.bpmn", "t1")))));
    try (SecretResolver resolver =
        SecretResolver.builder().provider(memory).defaultProvider("memory").build()) {
      ValidationReport report = ManifestValidator.validate(m, resolver, SecretContext.system());
      assertThat(report.isOk()).isTrue();
      assertThat(report.toJson()).contains("\"ok\": true").contains("\"problems\": []");
    }
  }
}
