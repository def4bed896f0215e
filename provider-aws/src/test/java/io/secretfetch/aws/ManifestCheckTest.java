package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.ManifestValidator;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.SlotUsage;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.aws.testing.FakeAws;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bundle manifest validated against AWS through {@link ManifestValidator} and the resolver:
 * unpinned refs cost one {@code BatchGetSecretValue} per 20 secrets, pinned refs one {@code
 * DescribeSecret} each, and no value is ever fetched.
 */
class ManifestCheckTest {
  private static final SecretContext CTX = SecretContext.system();
  private static final String PLANTED = "planted-Value-4711";

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static ManifestSlot slot(String name, String ref) {
    return new ManifestSlot(name, null, SecretRef.parse(ref),
        List.of(new SlotUsage("flows/" + name + ".bpmn", "task-" + name)));
  }

  @Test
  void manyUnpinnedRefsCostOneBatchPerTwentySecretsAndPinnedRefsOneDescribeEach() {
    List<ManifestSlot> slots = new ArrayList<>();
    // 45 distinct unpinned secrets: 40 exist, 4 do not, one is being deleted (@AWSCURRENT is the
    // same as no version: unpinned). One is read by two slots through different JSON fields,
    // which must not cost a second lookup.
    for (int i = 0; i < 44; i++) {
      String name = String.format("app/s%02d", i);
      if (i < 40) {
        f.aws.putString(name, "{\"user\":\"u\",\"password\":\"" + PLANTED + i + "\"}");
      }
      slots.add(slot("slot-" + i, "aws:" + name + (i == 0 ? "#user" : "")));
    }
    slots.add(slot("slot-0-password", "aws:app/s00#password"));
    f.aws.putString("gone", PLANTED);
    f.aws.scheduleDeletion("gone");
    slots.add(slot("current-gone", "aws:gone@AWSCURRENT"));
    // Pinned: a version id and staging labels, present and absent, and a secret being deleted.
    String v1 = f.aws.putString("prod/db", PLANTED + "v1");
    f.aws.putString("prod/db", PLANTED + "v2");
    slots.add(slot("pinned-version", "aws:prod/db@" + v1));
    slots.add(slot("pinned-previous", "aws:prod/db@AWSPREVIOUS"));
    slots.add(slot("pinned-pending", "aws:prod/db@AWSPENDING"));
    slots.add(slot("pinned-gone", "aws:gone@AWSPREVIOUS"));
    SecretManifest manifest = SecretManifest.of("many-aws-refs", slots);

    ValidationReport report = ManifestValidator.validate(manifest, f.resolver(), CTX);

    assertThat(f.aws.count("BatchGetSecretValue")).isEqualTo(3); // ceil(45 / 20)
    assertThat(f.aws.requests("BatchGetSecretValue"))
        .extracting(r -> r.json().path("SecretIdList").size())
        .containsExactly(20, 20, 5);
    assertThat(f.aws.count("DescribeSecret")).isEqualTo(4);
    assertThat(f.aws.requests("DescribeSecret"))
        .extracting(r -> r.json().path("SecretId").asText())
        .containsExactlyInAnyOrder("prod/db", "prod/db", "prod/db", "gone");
    assertThat(f.aws.count("GetSecretValue")).isZero();

    assertThat(report.isOk()).isFalse();
    assertThat(report.problems())
        .extracting(ValidationProblem::slot, ValidationProblem::code, ValidationProblem::element,
            ValidationProblem::file)
        .containsExactlyInAnyOrder(
            tuple("slot-40", SecretError.NOT_FOUND, "task-slot-40", "flows/slot-40.bpmn"),
            tuple("slot-41", SecretError.NOT_FOUND, "task-slot-41", "flows/slot-41.bpmn"),
            tuple("slot-42", SecretError.NOT_FOUND, "task-slot-42", "flows/slot-42.bpmn"),
            tuple("slot-43", SecretError.NOT_FOUND, "task-slot-43", "flows/slot-43.bpmn"),
            tuple("current-gone", SecretError.DELETED, "task-current-gone",
                "flows/current-gone.bpmn"),
            tuple("pinned-pending", SecretError.VERSION_NOT_FOUND, "task-pinned-pending",
                "flows/pinned-pending.bpmn"),
            tuple("pinned-gone", SecretError.DELETED, "task-pinned-gone",
                "flows/pinned-gone.bpmn"));
    assertThat(report.problems()).allSatisfy(p -> assertThat(p.remedy()).isNotBlank());
    assertThat(report.toString()).doesNotContain(PLANTED);
    assertThat(report.toJson()).doesNotContain(PLANTED);
  }
}
