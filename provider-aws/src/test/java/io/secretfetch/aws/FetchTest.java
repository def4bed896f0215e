package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProviderFactory;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.aws.testing.FakeAws;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchTest {
  private static final SecretContext CTX = SecretContext.forTenant("acme");

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private SecretValue fetch(String ref) {
    return f.provider().fetch(SecretRef.parse(ref), CTX);
  }

  @Test
  void factoryIsFoundByServiceLoaderAsAws() {
    assertThat(ServiceLoader.load(SecretProviderFactory.class))
        .anySatisfy(
            factory -> {
              assertThat(factory).isInstanceOf(AwsSecretsManagerProviderFactory.class);
              assertThat(factory.type()).isEqualTo("aws");
            });
  }

  @Test
  void fetchByNameSendsAwsCurrentExplicitlyOverTheJsonProtocol() {
    String version = f.aws.putString("prod/db", "s3cr3t-value");

    try (SecretValue v = fetch("aws:prod/db")) {
      assertThat(v.reveal()).isEqualTo("s3cr3t-value");
      assertThat(v.version()).isEqualTo(version);
      assertThat(v.ref()).isEqualTo(SecretRef.parse("aws:prod/db"));
    }

    FakeAws.Request req = f.aws.last("GetSecretValue");
    assertThat(req.header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
    assertThat(req.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(req.json().path("SecretId").asText()).isEqualTo("prod/db");
    assertThat(req.json().path("VersionStage").asText()).isEqualTo("AWSCURRENT");
    assertThat(req.json().has("VersionId")).isFalse();
    assertThat(req.signingRegion()).isEqualTo("eu-west-1");
    assertThat(req.signingService()).isEqualTo("secretsmanager");
  }

  @Test
  void fetchByArnUsesTheArnAsSecretIdAndTheArnsRegion() {
    try (FakeAws us = FakeAws.start("us-east-1")) {
      us.acceptKey(Fixture.ACCESS_KEY_ID, Fixture.SECRET_ACCESS_KEY);
      us.putString("prod/api", "us-value");
      f.with("endpoint.us-east-1", us.uri().toString());

      try (SecretValue v = fetch("aws:" + us.arn("prod/api"))) {
        assertThat(v.reveal()).isEqualTo("us-value");
      }

      FakeAws.Request req = us.last("GetSecretValue");
      assertThat(req.json().path("SecretId").asText()).isEqualTo(us.arn("prod/api"));
      assertThat(req.signingRegion()).isEqualTo("us-east-1");
      assertThat(f.aws.count("GetSecretValue")).isZero();
    }
  }

  @Test
  void fetchByArnInTheProvidersRegion() {
    f.aws.putString("prod/db", "by-arn");
    String arn = f.aws.arn("prod/db");
    assertThat(arn).startsWith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-");

    try (SecretValue v = fetch("aws:" + arn)) {
      assertThat(v.reveal()).isEqualTo("by-arn");
    }
  }

  @Test
  void pinnedVersionIdIsSentAsVersionIdAndIsImmutable() {
    String first = f.aws.putString("prod/db", "one");
    f.aws.putString("prod/db", "two");

    try (SecretValue v = fetch("aws:prod/db@" + first)) {
      assertThat(v.reveal()).isEqualTo("one");
      assertThat(v.version()).isEqualTo(first);
    }
    FakeAws.Request req = f.aws.last("GetSecretValue");
    assertThat(req.json().path("VersionId").asText()).isEqualTo(first);
    assertThat(req.json().has("VersionStage")).isFalse();
    assertThat(f.provider().immutable(SecretRef.parse("aws:prod/db@" + first))).isTrue();
  }

  @Test
  void awsStagingLabelsAreSentAsVersionStageAndAreNotImmutable() {
    String first = f.aws.putString("prod/db", "one");
    String second = f.aws.putString("prod/db", "two");

    try (SecretValue v = fetch("aws:prod/db@AWSPREVIOUS")) {
      assertThat(v.reveal()).isEqualTo("one");
      assertThat(v.version()).isEqualTo(first);
    }
    assertThat(f.aws.last("GetSecretValue").json().path("VersionStage").asText())
        .isEqualTo("AWSPREVIOUS");
    try (SecretValue v = fetch("aws:prod/db@AWSCURRENT")) {
      assertThat(v.version()).isEqualTo(second);
    }
    assertThat(f.provider().immutable(SecretRef.parse("aws:prod/db@AWSPREVIOUS"))).isFalse();
    assertThat(f.provider().immutable(SecretRef.parse("aws:prod/db@AWSCURRENT"))).isFalse();
    assertThat(f.provider().immutable(SecretRef.parse("aws:prod/db"))).isFalse();
  }

  @Test
  void customStagingLabelsUseTheStagePrefix() {
    String first = f.aws.putString("prod/db", "blue-value");
    f.aws.putString("prod/db", "green-value");
    f.aws.label("prod/db", first, "blue");

    try (SecretValue v = fetch("aws:prod/db@stage:blue")) {
      assertThat(v.reveal()).isEqualTo("blue-value");
    }
    assertThat(f.aws.last("GetSecretValue").json().path("VersionStage").asText()).isEqualTo("blue");
    assertThat(f.provider().immutable(SecretRef.parse("aws:prod/db@stage:blue"))).isFalse();
  }

  @Test
  void secretBinaryBecomesABinaryValue() {
    byte[] raw = {0, (byte) 0xFF, 1, (byte) 0xC3, 0x28};
    f.aws.putBinary("certs/key", raw);

    try (SecretValue v = fetch("aws:certs/key")) {
      assertThat(v.revealBytes()).containsExactly(raw);
      assertThatThrownBy(v::reveal)
          .isInstanceOf(SecretException.class)
          .extracting(e -> ((SecretException) e).error())
          .isEqualTo(SecretError.MALFORMED_VALUE);
    }
  }

  @Test
  void jsonFieldSelectionThroughTheResolver() {
    f.aws.putString("prod/db", "{\"username\":\"app\",\"password\":\"pa55w0rd\"}");

    try (SecretValue v = f.resolver().resolve("aws:prod/db#password", CTX)) {
      assertThat(v.reveal()).isEqualTo("pa55w0rd");
      assertThat(v.ref().field()).isEqualTo("password");
    }
    try (SecretValue v = f.resolver().resolve("prod/db#username", CTX)) {
      assertThat(v.reveal()).isEqualTo("app");
    }
    // One fetch served both fields: the resolver caches the whole secret.
    assertThat(f.aws.count("GetSecretValue")).isEqualTo(1);
    assertThat(f.aws.last("GetSecretValue").json().path("SecretId").asText()).isEqualTo("prod/db");
  }

  @Test
  void unicodeTextSurvivesTheRoundTrip() {
    f.aws.putString("i18n/greeting", "grüße – 日本語 🔑");
    try (SecretValue v = fetch("aws:i18n/greeting")) {
      assertThat(v.revealBytes()).isEqualTo("grüße – 日本語 🔑".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void invalidReferencesFailLocallyWithoutACall() {
    assertThatThrownBy(() -> fetch("aws:prod db"))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("position 4")
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.INVALID_REFERENCE);
    assertThatThrownBy(() -> fetch("aws:arn:aws:s3:::bucket/key"))
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.INVALID_REFERENCE);
    assertThatThrownBy(() -> fetch("aws:prod/db@3"))
        .hasMessageContaining("staging label")
        .extracting(e -> ((SecretException) e).error())
        .isEqualTo(SecretError.INVALID_REFERENCE);
    assertThat(f.aws.requests()).isEmpty();
  }

  @Test
  void closingTheProviderIsIdempotentEnoughForTheResolver() {
    f.aws.putString("a", "v");
    try (SecretValue v = fetch("aws:a")) {
      assertThat(v.reveal()).isEqualTo("v");
    }
    f.resolver().close();
  }
}
