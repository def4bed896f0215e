package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValueTest {
  private static final String CANARY = "canary-7f3a9c-Secr3t";
  private static final SecretMetadata META =
      new SecretMetadata(SecretRef.of("platform", "db-password"), "3", Instant.EPOCH, null);

  @Test
  void revealsOnlyThroughExplicitVerbs() {
    SecretValue v = SecretValue.ofText(META, CANARY);
    assertThat(v.reveal()).isEqualTo(CANARY);
    assertThat(v.revealBytes()).isEqualTo(CANARY.getBytes(StandardCharsets.UTF_8));
    assertThat(v.toString()).isEqualTo("SecretValue[platform:db-password@3, ***]");
  }

  @Test
  void jacksonWritesTheReferenceAndAMaskOnly() throws Exception {
    SecretValue v = SecretValue.ofText(META, CANARY);
    ObjectMapper mapper = new ObjectMapper();
    String json = mapper.writeValueAsString(Map.of("apiKey", v, "list", List.of(v)));
    assertThat(json).doesNotContain(CANARY).contains("\"ref\":\"platform:db-password\"")
        .contains("\"value\":\"***\"");
  }

  @Test
  void equalityIsIdentityAndHashDoesNotDependOnTheValue() {
    SecretValue a = SecretValue.ofText(META, CANARY);
    SecretValue b = SecretValue.ofText(META, CANARY);
    SecretValue other = SecretValue.ofText(META, CANARY + "x");
    assertThat(a).isNotEqualTo(b);
    assertThat(a.equalsSecret(b)).isTrue();
    assertThat(a.equalsSecret(other)).isFalse();
    assertThat(a.hashCode()).isEqualTo(System.identityHashCode(a));
  }

  @Test
  void revealedBytesAreCopies() {
    SecretValue v = SecretValue.ofText(META, CANARY);
    byte[] out = v.revealBytes();
    out[0] = 'X';
    assertThat(v.reveal()).isEqualTo(CANARY);
  }

  @Test
  void inputBytesAreCopied() {
    byte[] in = CANARY.getBytes(StandardCharsets.UTF_8);
    SecretValue v = SecretValue.ofBytes(META, in);
    in[0] = 'X';
    assertThat(v.reveal()).isEqualTo(CANARY);
  }

  @Test
  void closeWipesAndLaterReadsFail() throws Exception {
    SecretValue v = SecretValue.ofText(META, CANARY);
    java.lang.reflect.Field f = SecretValue.class.getDeclaredField("bytes");
    f.setAccessible(true);
    byte[] buffer = (byte[]) f.get(v);
    v.close();
    assertThat(buffer).containsOnly((byte) 0);
    assertThat(v.isClosed()).isTrue();
    assertThat(v.toString()).isEqualTo("SecretValue[platform:db-password@3, closed]");
    assertThatThrownBy(v::reveal)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("platform:db-password@3")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void fieldSelectsAStringOrTheJsonOfAnyOtherNode() {
    SecretValue v =
        SecretValue.ofText(META, "{\"user\":\"app\",\"password\":\"" + CANARY + "\",\"port\":5432}");
    try (SecretValue password = v.field("password"); SecretValue port = v.field("port")) {
      assertThat(password.reveal()).isEqualTo(CANARY);
      assertThat(password.ref()).isEqualTo(new SecretRef("platform", "db-password", null, "password"));
      assertThat(password.toString()).isEqualTo("SecretValue[platform:db-password@3#password, ***]");
      assertThat(port.reveal()).isEqualTo("5432");
    }
  }

  @Test
  void missingFieldNamesTheKeyAndTheKeysPresentButNoValue() {
    SecretValue v = SecretValue.ofText(META, "{\"user\":\"app\",\"password\":\"" + CANARY + "\"}");
    assertThatThrownBy(() -> v.field("pasword"))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.MALFORMED_VALUE);
              assertThat(e.getMessage())
                  .contains("'pasword'")
                  .contains("user, password")
                  .doesNotContain(CANARY)
                  .doesNotContain("app\"");
            });
  }

  @Test
  void nonJsonValueFailsWithPositionNotContent() {
    SecretValue v = SecretValue.ofText(META, "{\"a\": " + CANARY + "}");
    assertThatThrownBy(v::revealJson)
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.MALFORMED_VALUE);
              assertThat(e.getMessage()).contains("line 1").doesNotContain(CANARY);
              assertThat(e.getCause()).isNull();
            });
    assertThatThrownBy(() -> v.field("a")).hasMessageNotContaining(CANARY);
  }

  @Test
  void aKeyGivenTwiceIsMalformedNamingTheKeyNotTheValues() {
    SecretValue v = SecretValue.ofText(META,
        "{\"user\": \"app\", \"password\": \"" + CANARY + "\", \"password\": \"other\"}");
    assertThatThrownBy(() -> v.field("password"))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.MALFORMED_VALUE);
          assertThat(e.getMessage()).contains("key 'password' twice").contains("line 1")
              .doesNotContain(CANARY).doesNotContain("other");
        });
  }

  @Test
  void fieldOfANonObjectIsMalformed() {
    SecretValue v = SecretValue.ofText(META, "[\"" + CANARY + "\"]");
    assertThatThrownBy(() -> v.field("a"))
        .hasMessageContaining("not an object")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void binaryValueIsNotRevealedAsText() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
    SecretValue v = SecretValue.ofBytes(META, binary);
    assertThat(v.revealBytes()).isEqualTo(binary);
    assertThatThrownBy(v::reveal)
        .isInstanceOfSatisfying(
            SecretException.class, e -> assertThat(e.error()).isEqualTo(SecretError.MALFORMED_VALUE));
  }

  @Test
  void metadataPrintsNormally() {
    assertThat(META.resolvedRef().toString()).isEqualTo("platform:db-password@3");
    assertThat(META.toString()).contains("db-password").contains("3");
  }
}
