package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretSummary;
import io.secretfetch.aws.testing.FakeAws;
import io.secretfetch.aws.testing.FakeAws.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckAndListTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String PLANTED = "planted-Value-0815";

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Map<SecretRef, SecretCheck> check(List<SecretRef> refs) {
    return f.provider().check(refs, CTX);
  }

  private static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  @Test
  void thousandRefsAreCheckedInFiftyBatchesOfTwenty() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      f.aws.putString("app/s" + i, PLANTED + i);
      refs.add(ref("aws:app/s" + i));
    }

    Map<SecretRef, SecretCheck> result = check(refs);

    assertThat(result).hasSize(1000);
    assertThat(result.keySet()).containsExactlyElementsOf(refs);
    assertThat(result.values()).allMatch(SecretCheck::isOk);
    assertThat(f.aws.count("BatchGetSecretValue")).isEqualTo(50);
    assertThat(f.aws.requests("BatchGetSecretValue"))
        .allSatisfy(r -> assertThat(r.json().path("SecretIdList").size()).isEqualTo(20));
    assertThat(f.aws.count("GetSecretValue")).isZero();
    assertThat(f.aws.count("DescribeSecret")).isZero();
  }

  @Test
  void perItemBatchErrorsAreMapped() {
    f.aws.putString("ok", PLANTED);
    f.aws.putString("denied", PLANTED);
    f.aws.deny("denied");
    f.aws.putString("deleted", PLANTED);
    f.aws.scheduleDeletion("deleted");
    f.aws.putString("kms", PLANTED);
    f.aws.kmsFails("kms");
    f.aws.putString("by-arn", PLANTED);
    String arn = f.aws.arn("by-arn");
    String partialArn = arn.substring(0, arn.length() - 7);
    f.aws.putString("by-partial-arn", PLANTED);
    String partial = f.aws.arn("by-partial-arn");

    Map<SecretRef, SecretCheck> result =
        check(
            List.of(
                ref("aws:ok"), ref("aws:missing"), ref("aws:denied"), ref("aws:deleted"),
                ref("aws:kms"), ref("aws:" + arn), ref("aws:" + partial.substring(0, partial.length() - 7)),
                ref("aws:bad name")));

    assertThat(result.get(ref("aws:ok")).isOk()).isTrue();
    assertThat(result.get(ref("aws:missing")).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(result.get(ref("aws:denied")).error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(result.get(ref("aws:denied")).problem().remedy())
        .contains("secretsmanager:GetSecretValue on denied");
    assertThat(result.get(ref("aws:deleted")).error()).isEqualTo(SecretError.DELETED);
    assertThat(result.get(ref("aws:kms")).error()).isEqualTo(SecretError.DECRYPTION_FAILED);
    assertThat(result.get(ref("aws:" + arn)).isOk()).isTrue();
    assertThat(result.get(ref("aws:" + partial.substring(0, partial.length() - 7))).isOk()).isTrue();
    assertThat(result.get(ref("aws:bad name")).error()).isEqualTo(SecretError.INVALID_REFERENCE);
    assertThat(partialArn).isNotBlank();

    assertThat(f.aws.count("BatchGetSecretValue")).isEqualTo(1);
    assertThat(f.aws.count("DescribeSecret")).isZero();
    assertThat(result.values())
        .allSatisfy(c -> assertThat(String.valueOf(c)).doesNotContain(PLANTED));
  }

  @Test
  void pinnedRefsAreCheckedWithDescribeSecret() {
    String v1 = f.aws.putString("prod/db", PLANTED);
    f.aws.putString("prod/db", PLANTED + "2");
    f.aws.label("prod/db", v1, "blue");
    f.aws.putString("gone", PLANTED);
    f.aws.scheduleDeletion("gone");
    f.aws.putString("secret-of-others", PLANTED);
    f.aws.deny("secret-of-others");

    Map<SecretRef, SecretCheck> result =
        check(
            List.of(
                ref("aws:prod/db@" + v1),
                ref("aws:prod/db@AWSPREVIOUS"),
                ref("aws:prod/db@stage:blue"),
                ref("aws:prod/db@AWSPENDING"),
                ref("aws:prod/db@a1b2c3d4-5678-90ab-cdef-000000000000"),
                ref("aws:nothing@AWSPREVIOUS"),
                ref("aws:gone@" + v1),
                ref("aws:secret-of-others@AWSPREVIOUS")));

    assertThat(result.get(ref("aws:prod/db@" + v1)).isOk()).isTrue();
    assertThat(result.get(ref("aws:prod/db@AWSPREVIOUS")).isOk()).isTrue();
    assertThat(result.get(ref("aws:prod/db@stage:blue")).isOk()).isTrue();
    assertThat(result.get(ref("aws:prod/db@AWSPENDING")).error())
        .isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(result.get(ref("aws:prod/db@a1b2c3d4-5678-90ab-cdef-000000000000")).error())
        .isEqualTo(SecretError.VERSION_NOT_FOUND);
    assertThat(result.get(ref("aws:nothing@AWSPREVIOUS")).error()).isEqualTo(SecretError.NOT_FOUND);
    assertThat(result.get(ref("aws:gone@" + v1)).error()).isEqualTo(SecretError.DELETED);
    assertThat(result.get(ref("aws:secret-of-others@AWSPREVIOUS")).problem().remedy())
        .contains("secretsmanager:DescribeSecret");
    assertThat(f.aws.count("DescribeSecret")).isEqualTo(8);
    assertThat(f.aws.count("BatchGetSecretValue")).isZero();
    assertThat(f.aws.count("GetSecretValue")).isZero();
  }

  @Test
  void batchDeniedAsAWholeNamesBatchGetSecretValue() {
    f.aws.putString("a", PLANTED);
    f.aws.denyTarget("BatchGetSecretValue");

    SecretCheck c = check(List.of(ref("aws:a"))).get(ref("aws:a"));

    assertThat(c.error()).isEqualTo(SecretError.ACCESS_DENIED);
    assertThat(c.problem().remedy()).contains("secretsmanager:BatchGetSecretValue");
    assertThat(c.problem().ref()).isEqualTo(ref("aws:a"));
  }

  @Test
  void anUnavailableRegionStopsFurtherCallsToIt() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      refs.add(ref("aws:s" + i));
    }
    refs.add(ref("aws:s0@AWSPREVIOUS"));
    f.aws.failAlways(Fault.error(500, "InternalServiceError", null));

    Map<SecretRef, SecretCheck> result = check(refs);

    assertThat(result.values()).allMatch(c -> c.error() == SecretError.PROVIDER_UNAVAILABLE);
    assertThat(f.aws.count("BatchGetSecretValue")).as("one chunk, retried").isEqualTo(3);
    assertThat(f.aws.count("DescribeSecret")).isZero();
  }

  @Test
  void checksThroughTheResolverReportEveryRef() {
    f.aws.putString("prod/db", "{\"password\":\"x\"}");
    var result =
        f.resolver().check(List.of(ref("aws:prod/db#password"), ref("aws:prod/none")), CTX);
    assertThat(result.get(ref("aws:prod/db#password")).isOk()).isTrue();
    assertThat(result.get(ref("aws:prod/none")).error()).isEqualTo(SecretError.NOT_FOUND);
  }

  @Test
  void listUsesANameFilterPagesAndReturnsNamesOnly() {
    for (int i = 0; i < 250; i++) {
      f.aws.putString(String.format("team/app-%03d", i), PLANTED);
    }
    f.aws.putString("Team/upper", PLANTED);
    f.aws.putString("other/x", PLANTED);
    f.aws.putString("team/gone", PLANTED);
    f.aws.scheduleDeletion("team/gone");
    f.aws.describe("team/app-000", "the first one", Map.of("owner", "payments"));

    List<SecretSummary> list = f.provider().list("team/", CTX);

    assertThat(list).hasSize(250);
    assertThat(list.get(0).name()).isEqualTo("team/app-000");
    assertThat(list.get(0).description()).isEqualTo("the first one");
    assertThat(list.get(0).updatedAt()).hasToString("2026-01-02T03:04:05.678Z");
    assertThat(list.get(0).attributes())
        .containsEntry("tag.owner", "payments")
        .containsEntry("arn", f.aws.arn("team/app-000"))
        .containsKey("currentVersion");
    assertThat(list).extracting(SecretSummary::name).isSorted().doesNotContain("Team/upper");
    assertThat(list.toString()).doesNotContain(PLANTED);

    List<FakeAws.Request> pages = f.aws.requests("ListSecrets");
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).json().path("Filters").path(0).path("Key").asText()).isEqualTo("name");
    assertThat(pages.get(0).json().path("Filters").path(0).path("Values").path(0).asText())
        .isEqualTo("team/");
    assertThat(pages.get(1).json().path("NextToken").asText()).isEqualTo("100");
  }

  @Test
  void listWithoutPrefixSendsNoFilterAndHonoursTheLimit() {
    f.with(AwsOptions.LIST_LIMIT, "5");
    for (int i = 0; i < 12; i++) {
      f.aws.putString("s" + i, PLANTED);
    }
    assertThat(f.provider().list("", CTX)).hasSize(5);
    assertThat(f.aws.last("ListSecrets").json().has("Filters")).isFalse();
  }

  @Test
  void listAccessDeniedNamesListSecrets() {
    f.aws.denyTarget("ListSecrets");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.provider().list("x", CTX))
        .isInstanceOf(io.secretfetch.api.SecretException.class)
        .hasMessageContaining("secretsmanager:ListSecrets");
  }
}
