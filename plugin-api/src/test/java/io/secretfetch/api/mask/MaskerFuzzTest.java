package io.secretfetch.api.mask;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Fuzz tests for the matcher and the streams. In a plain build they replay the seed inputs under
 * src/test/resources/io/secretfetch/api/mask/MaskerFuzzTestInputs; run with JAZZER_FUZZ=1 to fuzz.
 */
class MaskerFuzzTest {

  @FuzzTest
  void matcher(FuzzedDataProvider data) {
    SecretMasker masker = new SecretMasker();
    List<String> secrets = registerSome(masker, data);
    String text = data.consumeRemainingAsString();
    String planted = plant(text, secrets);

    String masked = masker.mask(planted);

    for (String secret : secrets) {
      assertThat(masked).doesNotContain(secret);
      assertThat(masked).doesNotContain(
          Base64.getEncoder().encodeToString(secret.getBytes(UTF_8)));
    }
    assertThat(masker.mask(masked)).isEqualTo(masked);
    if (!masker.mask(text).equals(text)) {
      assertThat(masker.mask(text)).contains(masker.token());
    }
  }

  @FuzzTest
  void streams(FuzzedDataProvider data) throws IOException {
    SecretMasker masker = new SecretMasker();
    List<String> secrets = registerSome(masker, data);
    int chunk = data.consumeInt(1, 16);
    String text = plant(data.consumeRemainingAsString(), secrets);
    byte[] bytes = text.getBytes(UTF_8);

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream stream = masker.maskingStream(sink, UTF_8)) {
      for (int i = 0; i < bytes.length; i += chunk) {
        stream.write(bytes, i, Math.min(chunk, bytes.length - i));
      }
    }

    String streamed = sink.toString(UTF_8);
    for (String secret : secrets) {
      assertThat(streamed).doesNotContain(secret);
    }
  }

  private static List<String> registerSome(SecretMasker masker, FuzzedDataProvider data) {
    List<String> secrets = new ArrayList<>();
    int count = data.consumeInt(1, 4);
    for (int i = 0; i < count; i++) {
      String secret = data.consumeString(20);
      if (masker.register(secret)) {
        secrets.add(secret);
      }
    }
    return secrets;
  }

  /** Inserts each secret into the text, so every input exercises hits. */
  private static String plant(String text, List<String> secrets) {
    StringBuilder planted = new StringBuilder(text);
    for (int i = 0; i < secrets.size(); i++) {
      int at = planted.length() == 0 ? 0 : (i * 7919) % (planted.length() + 1);
      planted.insert(at, secrets.get(i));
    }
    return planted.toString();
  }
}
