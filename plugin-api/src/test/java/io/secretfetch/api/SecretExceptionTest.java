package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretExceptionTest {

  @Test
  void messageNamesCodeReferenceDetailAndRemedy() {
    SecretException e =
        new SecretException(
            SecretError.ACCESS_DENIED,
            SecretRef.of("aws", "prod/db"),
            "AccessDeniedException from GetSecretValue",
            "Grant secretsmanager:GetSecretValue on prod/db");
    assertThat(e.getMessage())
        .isEqualTo(
            "[ACCESS_DENIED] secret 'aws:prod/db': AccessDeniedException from GetSecretValue."
                + " Remedy: Grant secretsmanager:GetSecretValue on prod/db");
    assertThat(e.retryable()).isFalse();
    assertThat(e.detail()).isEqualTo("AccessDeniedException from GetSecretValue");
  }

  @Test
  void defaultsTheRemedyFromTheCode() {
    SecretException e = new SecretException(SecretError.THROTTLED, null, "rate exceeded");
    assertThat(e.remedy()).isEqualTo(SecretError.THROTTLED.defaultRemedy());
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).startsWith("[THROTTLED] rate exceeded. Remedy: Retry later");
  }

  @Test
  void copyKeepsTheFactsAndRecordsTheOriginal() {
    SecretException e = new SecretException(SecretError.NOT_FOUND, SecretRef.of("p", "x"), "gone");
    SecretException copy = e.copy();
    assertThat(copy).isNotSameAs(e).hasMessage(e.getMessage());
    assertThat(copy.error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(copy.ref()).isEqualTo(e.ref());
    assertThat(copy.getSuppressed()).containsExactly(e);
  }
}
