package io.secretfetch.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretManifestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static SecretManifest sample() {
    return SecretManifest.of("billing", List.of(
        new ManifestSlot("webhook", "Webhook secret", SecretRef.parse("platform:hooks/in@3"),
            List.of(new SlotUsage("b.bpmn", "verify"), new SlotUsage("a.bpmn", "check/secret"))),
        new ManifestSlot("db", null, SecretRef.parse("aws:prod/db#password"),
            List.of(new SlotUsage("a.bpmn", "fetchDb"))),
        new ManifestSlot("api-key", "API key", SecretRef.parse("api-key"), List.of())));
  }

  @Test
  void writesSortedStableJsonThatReadsBackEqual() {
    SecretManifest m = sample();
    String json = m.toJson();

    assertThat(json).isEqualTo("""
        {
          "schemaVersion": 1,
          "bundle": "billing",
          "slots": [
            {
              "slot": "api-key",
              "label": "API key",
              "secretRef": {
                "name": "api-key"
              },
              "usedBy": []
            },
            {
              "slot": "db",
              "provider": "aws",
              "secretRef": {
                "name": "prod/db",
                "field": "password"
              },
              "usedBy": [
                {
                  "file": "a.bpmn",
                  "element": "fetchDb"
                }
              ]
            },
            {
              "slot": "webhook",
              "label": "Webhook secret",
              "provider": "platform",
              "secretRef": {
                "name": "hooks/in",
                "version": "3"
              },
              "usedBy": [
                {
                  "file": "a.bpmn",
                  "element": "check/secret"
                },
                {
                  "file": "b.bpmn",
                  "element": "verify"
                }
              ]
            }
          ]
        }
        """);
    assertThat(SecretManifest.parse(json, "m.json")).isEqualTo(m);
  }

  @Test
  void sameSlotsInAnyOrderGiveTheSameBytes() {
    List<ManifestSlot> reversed = new ArrayList<>(sample().slots());
    Collections.reverse(reversed);
    assertThat(SecretManifest.of("billing", reversed).toJson()).isEqualTo(sample().toJson());
  }

  @Test
  void writerOutputAndCommittedExamplesMatchTheSchema() throws IOException {
    JsonSchema schema;
    try (InputStream in = SecretManifest.class.getResourceAsStream(SecretManifest.SCHEMA_RESOURCE)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    assertThat(schema.validate(JSON.readTree(sample().toJson()))).isEmpty();
    Path quickstart = Path.of("..", "examples", "quickstart", SecretManifest.FILE_NAME);
    assertThat(schema.validate(JSON.readTree(Files.readString(quickstart)))).isEmpty();
    // The schema does reject what the reader rejects.
    JsonNode bad = JSON.readTree("{\"schemaVersion\": 2, \"bundle\": \"b\", \"slots\": [{\"slot\": \"-x\", \"extra\": 1}]}");
    Set<ValidationMessage> problems = schema.validate(bad);
    assertThat(problems).hasSizeGreaterThanOrEqualTo(3);
  }

  static Stream<Object[]> malformed() {
    return Stream.of(
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [", "line 1, column", "not valid JSON"},
        new Object[] {"", "", "empty"},
        new Object[] {"{\"schemaVersion\": 2, \"bundle\": \"b\", \"slots\": []}", "/schemaVersion", "unknown schemaVersion 2"},
        new Object[] {"{\"bundle\": \"b\", \"slots\": []}", "/schemaVersion", "schemaVersion is missing"},
        new Object[] {"{\"schemaVersion\": 1, \"slots\": []}", "/bundle", "bundle is missing"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a\", \"lable\": \"x\"}]}", "/slots/0", "unknown key 'lable'"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a b\"}]}", "/slots/0/slot", "is not allowed"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a\", \"provider\": \"Bad!\", \"secretRef\": {\"name\": \"n\"}}]}", "/slots/0/secretRef", "not a valid secret reference"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a\", \"secretRef\": {\"name\": \"n\"}}, {\"slot\": \"a\", \"secretRef\": {\"name\": \"n\"}}]}", "/slots/1/slot", "slot 'a' is listed twice"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a\", \"secretRef\": {\"name\": \"n\"}}, {\"slot\": \"a\", \"provider\": \"aws\", \"secretRef\": {\"name\": \"n\"}}]}", "/slots/1/slot", "two slots named 'a' are bound to different refs (n at /slots/0 and aws:n)"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"bundle\": \"c\", \"slots\": []}", "/bundle", "the key 'bundle' appears twice in the same object (line 1, column"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"a\", \"secretRef\": {\"name\": \"n\", \"name\": \"m\"}}]}", "/slots/0/secretRef/name", "the key 'name' appears twice"},
        new Object[] {"{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": []} trailing", "line 1", "not valid JSON"});
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedManifestsNameTheFileThePlaceAndTheFix(String json, String where, String what) {
    assertThatThrownBy(() -> SecretManifest.parse(json, "bundle/secret-manifest.json"))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.INVALID_INPUT);
          assertThat(e.source()).isEqualTo("bundle/secret-manifest.json");
          assertThat(e.location()).contains(where);
          assertThat(e.getMessage()).contains("bundle/secret-manifest.json").contains(what)
              .contains("Remedy: ");
        });
  }

  @Test
  void syntaxErrorsDoNotQuoteTheText() {
    assertThatThrownBy(() -> SecretManifest.parse("{\"bundle\": s3cr3t-looking-token}", "m.json"))
        .isInstanceOf(ManifestException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void aSlotWithoutARefReadsAndIsReportedByTheValidator() {
    SecretManifest m = SecretManifest.parse(
        "{\"schemaVersion\": 1, \"bundle\": \"b\", \"slots\": [{\"slot\": \"hook\","
            + " \"usedBy\": [{\"file\": \"f.bpmn\", \"element\": \"t\"}]}]}", "m.json");
    assertThat(m.slots().get(0).ref()).isNull();
    assertThat(ManifestValidator.unbound(m)).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(SecretError.INVALID_REFERENCE);
      assertThat(p.detail()).isEqualTo("the secret slot has no secret ref");
      assertThat(p.file()).isEqualTo("f.bpmn");
      assertThat(p.element()).isEqualTo("t");
    });
  }
}
