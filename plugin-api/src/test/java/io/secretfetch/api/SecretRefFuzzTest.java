package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Runs the seed inputs in {@code mvn verify}; {@code JAZZER_FUZZ=1} fuzzes for real. */
class SecretRefFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parseNeverFailsUnexpectedly(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    SecretRef ref;
    try {
      ref = SecretRef.parse(text);
    } catch (SecretException e) {
      assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE);
      assertThat(e.retryable()).isFalse();
      return;
    }
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }
}
