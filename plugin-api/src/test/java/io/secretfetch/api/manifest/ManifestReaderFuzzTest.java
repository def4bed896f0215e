package io.secretfetch.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.secretfetch.api.SecretError;

/** Runs the seed inputs in {@code mvn verify}; {@code JAZZER_FUZZ=1} fuzzes for real. */
class ManifestReaderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void manifestReaderFailsOnlyWithAClearError(FuzzedDataProvider data) {
    String json = data.consumeRemainingAsString();
    SecretManifest manifest;
    try {
      manifest = SecretManifest.parse(json, "fuzz.json");
    } catch (ManifestException e) {
      assertThat(e.error()).isEqualTo(SecretError.INVALID_INPUT);
      assertThat(e.getMessage()).startsWith("[INVALID_INPUT] fuzz.json").contains("Remedy: ");
      return;
    }
    // What reads, writes back to the same manifest and to a fixed point.
    String written = manifest.toJson();
    assertThat(SecretManifest.parse(written, "again.json")).isEqualTo(manifest);
    assertThat(SecretManifest.parse(written, "again.json").toJson()).isEqualTo(written);
  }

  @FuzzTest(maxDuration = "30s")
  void profileReaderFailsOnlyWithAClearErrorAndNeverShowsAValue(FuzzedDataProvider data) {
    byte[] json = data.consumeRemainingAsBytes();
    byte[] before = json.clone();
    BindingsProfile profile;
    try {
      profile = BindingsProfile.parse(json, "fuzz.json");
    } catch (ManifestException e) {
      assertThat(e.error()).isEqualTo(SecretError.INVALID_INPUT);
      assertThat(e.getMessage()).startsWith("[INVALID_INPUT] fuzz.json").contains("Remedy: ");
      assertThat(json).isEqualTo(before);
      return;
    }
    assertThat(json).isEqualTo(before);
    try (profile) {
      String shown = profile.toString();
      String withoutSlotNames = shown;
      for (String slot : profile.bindings().keySet()) {
        withoutSlotNames = withoutSlotNames.replace(slot, "");
      }
      for (BindingsProfile.Binding b : profile.bindings().values()) {
        if (b instanceof BindingsProfile.Literal l && l.reveal().length() >= 12) {
          assertThat(withoutSlotNames).doesNotContain(l.reveal());
        }
      }
    }
  }
}
