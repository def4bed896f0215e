package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRefTest {

  @Test
  void parsesProviderNameVersionAndField() {
    SecretRef ref = SecretRef.parse("vault:secret/data/team a/api@3#token");
    assertThat(ref).isEqualTo(new SecretRef("vault", "secret/data/team a/api", "3", "token"));
    assertThat(ref.pinned()).isTrue();
    assertThat(ref.toString()).isEqualTo("vault:secret/data/team a/api@3#token");
  }

  @Test
  void keepsColonsOfAnAwsArnInTheName() {
    String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
    SecretRef ref = SecretRef.parse("aws:" + arn + "#password");
    assertThat(ref.provider()).isEqualTo("aws");
    assertThat(ref.name()).isEqualTo(arn);
    assertThat(ref.field()).isEqualTo("password");
    assertThat(ref.version()).isNull();
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void bareNameHasNoProvider() {
    SecretRef ref = SecretRef.parse("db-password");
    assertThat(ref.provider()).isNull();
    assertThat(ref.name()).isEqualTo("db-password");
  }

  @Test
  void escapesReservedCharactersInTheCanonicalForm() {
    SecretRef ref = new SecretRef("platform", "a@b#c%d: é 密码", "v@1", "f#1");
    assertThat(ref.toString()).isEqualTo("platform:a%40b%23c%25d: é 密码@v%401#f%231");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void escapesColonsOfABareName() {
    SecretRef ref = new SecretRef(null, "arn:aws:x", null, null);
    assertThat(ref.toString()).isEqualTo("arn%3Aaws%3Ax");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void acceptsLowerCaseEscapes() {
    assertThat(SecretRef.parse("p:a%3ab").name()).isEqualTo("a:b");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Aws:name|character 'A' at position 0",
        "aws:|empty name at position 4",
        ":name|empty provider id before ':' at position 0",
        "p:name@|empty version at position 7",
        "p:name#|empty field at position 7",
        "p:na%zzme|'%' at position 4 must be followed by two hex digits",
        "p:name%4|'%' at position 6 must be followed by two hex digits",
        "p:a%C3%A9|escape %C3 at position 3 is not ASCII",
        "p:a%0Ab|escape %0A at position 3 stands for a control character",
        "p: name|leading or trailing white space at position 2",
      })
  void rejectsInvalidTextNamingPositionAndCharacter(String text, String expected) {
    assertThatThrownBy(() -> SecretRef.parse(text))
        .isInstanceOfSatisfying(
            SecretException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SecretError.INVALID_REFERENCE);
              assertThat(e.getMessage()).contains(expected);
            });
  }

  @Test
  void namesAControlCharacterByCodePoint() {
    assertThatThrownBy(() -> SecretRef.parse("p:a\nb"))
        .hasMessageContaining("character U+000A at position 3 is a control character");
  }

  @Test
  void doesNotQuoteTheWholeInput() {
    // A value pasted where a reference belongs must not be echoed into logs.
    String pasted = "Sup3rS3cr3tPassw0rd\n";
    assertThatThrownBy(() -> SecretRef.parse(pasted)).message().doesNotContain("Sup3rS3cr3t");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Aws:x", "p:", "p:x@", "p:\u0000"})
  void tryParseReturnsEmptyForInvalidText(String text) {
    assertThat(SecretRef.tryParse(text)).isEmpty();
  }

  @Test
  void constructorValidatesLikeParse() {
    assertThatThrownBy(() -> new SecretRef("AWS", "x", null, null))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("provider id has character 'A' at index 0");
    assertThatThrownBy(() -> new SecretRef("p", " x", null, null))
        .hasMessageContaining("name has leading or trailing white space");
    assertThatThrownBy(() -> new SecretRef("p", "x", "", null))
        .hasMessageContaining("version must not be empty");
    assertThatThrownBy(() -> new SecretRef("p", "a\uD800", null, null))
        .hasMessageContaining("unpaired surrogate U+D800");
    assertThatThrownBy(() -> new SecretRef("p", "x".repeat(SecretRef.MAX_LENGTH + 1), null, null))
        .hasMessageContaining("longer than 2048");
  }

  @Test
  void withersKeepTheOtherComponents() {
    SecretRef ref = SecretRef.of("aws", "db").withVersion("v1").withField("user");
    assertThat(ref).isEqualTo(new SecretRef("aws", "db", "v1", "user"));
    assertThat(ref.withoutField()).isEqualTo(new SecretRef("aws", "db", "v1", null));
    assertThat(ref.withProvider("vault").provider()).isEqualTo("vault");
  }
}
