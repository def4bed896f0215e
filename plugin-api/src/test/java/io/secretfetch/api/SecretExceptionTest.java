package io.secretfetch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
  private static final SecretRef REF = SecretRef.of("aws", "prod/db");
  private static final String PLANTED = "s3cr3t-planted-value";

  interface WithRemedy {
    SecretException make(SecretRef ref, String detail, String remedy);
  }

  record Factory(
      SecretError code, BiFunction<SecretRef, String, SecretException> plain, WithRemedy full) {
    @Override
    public String toString() {
      return code.name();
    }
  }

  static List<Factory> factories() {
    return List.of(
        new Factory(SecretError.CONFIGURATION, SecretException::configuration,
            SecretException::configuration),
        new Factory(SecretError.PROVIDER_UNAVAILABLE, SecretException::providerUnavailable,
            SecretException::providerUnavailable),
        new Factory(SecretError.ACCESS_DENIED, SecretException::accessDenied,
            SecretException::accessDenied),
        new Factory(SecretError.INVALID_REFERENCE, SecretException::invalidReference,
            SecretException::invalidReference),
        new Factory(SecretError.MALFORMED_VALUE, SecretException::malformedValue,
            SecretException::malformedValue),
        new Factory(SecretError.VERSION_NOT_FOUND, SecretException::versionNotFound,
            SecretException::versionNotFound),
        new Factory(SecretError.DELETED, SecretException::deleted, SecretException::deleted),
        new Factory(SecretError.NOT_FOUND, SecretException::notFound, SecretException::notFound),
        new Factory(SecretError.CONFLICT, SecretException::conflict, SecretException::conflict),
        new Factory(SecretError.INVALID_INPUT, SecretException::invalidInput,
            SecretException::invalidInput),
        new Factory(SecretError.EXPIRED, SecretException::expired, SecretException::expired),
        new Factory(SecretError.THROTTLED, SecretException::throttled,
            SecretException::throttled),
        new Factory(SecretError.DECRYPTION_FAILED, SecretException::decryptionFailed,
            SecretException::decryptionFailed));
  }

  @Test
  void thereIsAFactoryForEveryCode() {
    Set<SecretError> covered =
        factories().stream().map(Factory::code).collect(Collectors.toSet());
    assertThat(covered).isEqualTo(EnumSet.allOf(SecretError.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void factoryWithRemedyBuildsTheSameExceptionAsTheConstructor(Factory f) {
    SecretException e = f.full().make(REF, "what happened", "Do this.");
    SecretException expected = new SecretException(f.code(), REF, "what happened", "Do this.");
    assertThat(e.error()).isEqualTo(f.code());
    assertThat(e.ref()).isEqualTo(REF);
    assertThat(e.detail()).isEqualTo("what happened");
    assertThat(e.remedy()).isEqualTo("Do this.");
    assertThat(e.getCause()).isNull();
    assertThat(e.retryable()).isEqualTo(f.code().retryable());
    assertThat(e).hasMessage(expected.getMessage());
    assertThat(e.getMessage())
        .isEqualTo("[" + f.code() + "] secret 'aws:prod/db': what happened. Remedy: Do this.");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void factoryWithoutRemedyTakesTheCodesDefault(Factory f) {
    SecretException e = f.plain().apply(REF, "what happened");
    assertThat(e.error()).isEqualTo(f.code());
    assertThat(e.remedy()).isEqualTo(f.code().defaultRemedy());
    assertThat(e.getMessage()).endsWith(". Remedy: " + f.code().defaultRemedy());
    assertThat(f.full().make(REF, "x", null).remedy()).isEqualTo(f.code().defaultRemedy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void factoryAcceptsNoReference(Factory f) {
    SecretException e = f.full().make(null, "no single secret", "Fix it.");
    assertThat(e.ref()).isNull();
    assertThat(e.getMessage())
        .isEqualTo("[" + f.code() + "] no single secret. Remedy: Fix it.");
  }

  @Test
  void refLessFormsConcernNoSecret() {
    List<SecretException> all = List.of(
        SecretException.configuration("bad setting", "Fix the setting."),
        SecretException.providerUnavailable("down", "Wait."),
        SecretException.accessDenied("refused", "Grant."),
        SecretException.invalidReference("bad ref", "Correct."),
        SecretException.notFound("none", "Create."),
        SecretException.conflict("race", "Retry."),
        SecretException.invalidInput("too long", "Shorten."),
        SecretException.decryptionFailed("wrong key", "Use the right key."));
    assertThat(all).allSatisfy(e -> assertThat(e.ref()).isNull());
    assertThat(all).extracting(SecretException::error).containsExactly(
        SecretError.CONFIGURATION, SecretError.PROVIDER_UNAVAILABLE, SecretError.ACCESS_DENIED,
        SecretError.INVALID_REFERENCE, SecretError.NOT_FOUND, SecretError.CONFLICT,
        SecretError.INVALID_INPUT, SecretError.DECRYPTION_FAILED);
    assertThat(all.get(0)).hasMessage("[CONFIGURATION] bad setting. Remedy: Fix the setting.");
  }

  @Test
  void causeOverloadsKeepTheCause() {
    IllegalStateException cause = new IllegalStateException("connection reset");
    SecretException unavailable =
        SecretException.providerUnavailable(REF, "GetSecretValue failed", "Retry.", cause);
    SecretException configuration =
        SecretException.configuration("region unknown", "Set 'region'.", cause);
    assertThat(unavailable.getCause()).isSameAs(cause);
    assertThat(unavailable.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
    assertThat(unavailable.ref()).isEqualTo(REF);
    assertThat(configuration.getCause()).isSameAs(cause);
    assertThat(configuration.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(configuration.ref()).isNull();
  }

  @Test
  void withRefPointsAtTheOtherReferenceAndKeepsTheRest() {
    IllegalStateException cause = new IllegalStateException("timeout");
    SecretRef other = SecretRef.of("vault", "kv/app");
    SecretException e = SecretException.providerUnavailable(REF, "timed out", "Retry.", cause);
    SecretException moved = e.withRef(other);
    assertThat(moved).isNotSameAs(e);
    assertThat(moved.ref()).isEqualTo(other);
    assertThat(moved.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
    assertThat(moved.detail()).isEqualTo("timed out");
    assertThat(moved.remedy()).isEqualTo("Retry.");
    assertThat(moved.getCause()).isSameAs(cause);
    assertThat(moved.getSuppressed()).containsExactly(e);
    assertThat(moved)
        .hasMessage("[PROVIDER_UNAVAILABLE] secret 'vault:kv/app': timed out. Remedy: Retry.");
    assertThat(e.ref()).isEqualTo(REF); // the original is unchanged
  }

  @Test
  void withRefKeepsADefaultedRemedyAndCanDropTheReference() {
    SecretException e = SecretException.notFound(REF, "no such secret");
    SecretException moved = e.withRef(null);
    assertThat(moved.ref()).isNull();
    assertThat(moved.remedy()).isEqualTo(SecretError.NOT_FOUND.defaultRemedy());
    assertThat(moved).hasMessage(
        "[NOT_FOUND] no such secret. Remedy: " + SecretError.NOT_FOUND.defaultRemedy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void noFactoryAddsAValueOfItsOwn(Factory f) {
    // The message is built from the arguments only: a value held elsewhere cannot reach it.
    SecretValue value =
        SecretValue.ofText(new SecretMetadata(REF, "1", java.time.Instant.EPOCH, null), PLANTED);
    SecretException e = f.full().make(REF, "read " + value, "Check " + value.metadata());
    assertThat(e.getMessage()).doesNotContain(PLANTED);
    assertThat(e.toString()).doesNotContain(PLANTED);
    assertThat(e.withRef(null).getMessage()).doesNotContain(PLANTED);
  }
}
