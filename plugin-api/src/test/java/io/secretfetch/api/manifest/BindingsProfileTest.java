package io.secretfetch.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindingsProfileTest {
  private static final String VALUE = "pr0file-canary-7f3a";

  private static BindingsProfile parse(String json) {
    return BindingsProfile.parse(json.getBytes(StandardCharsets.UTF_8), "profile.json");
  }

  @Test
  void readsLiteralsGenerateRequestsAndUnfilledPlaceholdersWithoutShowingValues() {
    BindingsProfile profile = parse("{\"bundle\": \"b\", \"bindings\": {"
        + "\"api-key\": {\"about\": \"x\", \"secret\": \"" + VALUE + "\"},"
        + "\"hook\": {\"secret\": {\"generate\": {\"length\": 40, \"alphabet\": \"hex\"}}},"
        + "\"db\": {\"secret\": {\"generate\": {\"length\": 32}}},"
        + "\"later\": {\"secret\": \"" + BindingsProfile.PLACEHOLDER + "\"}}}");

    BindingsProfile.Literal literal = (BindingsProfile.Literal) profile.bindings().get("api-key");
    assertThat(literal.reveal().toString()).isEqualTo(VALUE);
    assertThat(profile.bindings().get("hook")).isEqualTo(new BindingsProfile.Generate(40, "hex"));
    assertThat(profile.bindings().get("db")).isEqualTo(new BindingsProfile.Generate(32, "base62"));
    assertThat(profile.bindings().get("later")).isInstanceOf(BindingsProfile.Unfilled.class);
    assertThat(profile.toString()).isEqualTo("BindingsProfile[api-key=literal, db=generate(32,"
        + " base62), hook=generate(40, hex), later=unfilled]").doesNotContain(VALUE);

    profile.close();
    assertThat(literal.reveal().toString()).doesNotContain(VALUE).matches("\u0000+");
  }

  @Test
  void readFromAFileWipesTheBytesItRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("profile.json");
    Files.writeString(file, "{\"bindings\": {\"a\": {\"secret\": \"" + VALUE + "\"}}}");
    try (BindingsProfile p = BindingsProfile.read(file)) {
      assertThat(((BindingsProfile.Literal) p.bindings().get("a")).reveal().toString())
          .isEqualTo(VALUE);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"bindings\": {\"a\": {\"secret\": VALUE}}}|line 1|not valid JSON",
      "{\"bindings\": {\"a\": {\"secret\": \"VALUE\"}}, \"x\": \"VALUE\"}|line 1|unknown key 'x'",
      "{\"bindings\": {\"a\": {\"secret\": 12}}}|line 1|neither a string nor",
      "{\"bindings\": {\"a\": {\"secret\": \"VALUE\", \"secret\": \"VALUE\"}}}|/bindings/a/secret|the key 'secret' appears twice in the same object (line 1, column",
      "{\"bindings\": {\"a\": {\"secret\": \"VALUE\"}, \"a\": {\"secret\": \"VALUE\"}}}|/bindings/a|the key 'a' appears twice",
      "{\"bundle\": \"b\", \"bindings\": {}, \"bundle\": \"c\"}|/bundle|the key 'bundle' appears twice",
      "{\"bindings\": {\"a\": {\"value\": \"VALUE\"}}}|line 1|unknown key 'value' in slot 'a'",
      "{\"bindings\": {\"a\": {}}}|line 1|slot 'a' has no \"secret\"",
      "{\"bindings\": {\"a\": {\"secret\": {\"generate\": {\"alphabet\": \"hex\"}}}}}|line 1|has no length",
      "{\"bindings\": {\"a\": {\"secret\": \"\"}}}|line 1|has an empty secret",
      "{\"bindings\": {\"a b\": {\"secret\": \"VALUE\"}}}|line 1|is not a slot name",
      "{}|line 1|no \"bindings\" object",
      "[]|line 1|expected a JSON object"})
  void malformedProfilesGiveAClearErrorThatNeverQuotesAValue(String template, String where,
      String what) {
    String json = template.replace("VALUE", VALUE);
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.INVALID_INPUT);
          assertThat(e.location()).contains(where);
          assertThat(e.getMessage()).contains("profile.json").contains(what)
              .doesNotContain(VALUE).doesNotContain("VALUE");
        });
  }

  @Test
  void templateHasOneEntryPerSlotWithThePlaceholderAndReadsBackAsUnfilled() {
    String template = BindingsProfile.template(SecretManifestTest.sample());
    assertThat(template).contains("\"api-key\": {").contains("\"db\": {")
        .contains("\"webhook\": {").contains("Webhook secret -> platform:hooks/in@3");
    try (BindingsProfile p = parse(template)) {
      assertThat(p.bindings()).containsOnlyKeys("api-key", "db", "webhook")
          .allSatisfy((slot, b) -> assertThat(b).isInstanceOf(BindingsProfile.Unfilled.class));
    }
  }
}
