package io.secretfetch.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationReportTest {

  @Test
  void summaryListsEveryProblemWithSlotElementCodeAndRemedy() {
    SecretException missing =
        new SecretException(SecretError.NOT_FOUND, SecretRef.parse("memory:api-key"), "no such secret");
    ValidationReport report =
        ValidationReport.of(
            "process 'invoice'",
            List.of(
                ValidationProblem.of("memory:api-key", "fetchKey", missing),
                new ValidationProblem(
                    "db", "fetchDb", null, SecretError.ACCESS_DENIED, "denied", "Grant access")));

    assertThat(report.isOk()).isFalse();
    assertThat(report.problems()).hasSize(2);
    assertThat(report.summary())
        .startsWith("process 'invoice': 2 secrets do not resolve:")
        .contains("[NOT_FOUND] slot 'memory:api-key' (used by fetchKey, ref memory:api-key): no such secret. Remedy: "
            + SecretError.NOT_FOUND.defaultRemedy())
        .contains("[ACCESS_DENIED] slot 'db' (used by fetchDb): denied. Remedy: Grant access");
  }

  @Test
  void copiesItsProblemsAndIsOkWhenEmpty() {
    List<ValidationProblem> problems = new ArrayList<>();
    ValidationReport report = ValidationReport.of("process 'p'", problems);
    problems.add(new ValidationProblem("s", null, null, SecretError.EXPIRED, "expired", null));

    assertThat(report.isOk()).isTrue();
    assertThat(report.summary()).isEqualTo("process 'p': every secret resolves");
    assertThat(ValidationReport.ok().isOk()).isTrue();
    assertThatThrownBy(() -> report.problems().add(problems.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void problemTakesTheCodesDefaultRemedy() {
    ValidationProblem p = new ValidationProblem("s", null, null, SecretError.EXPIRED, "gone", null);
    assertThat(p.remedy()).isEqualTo(SecretError.EXPIRED.defaultRemedy());
    assertThat(p.toString()).isEqualTo("[EXPIRED] slot 's': gone. Remedy: " + SecretError.EXPIRED.defaultRemedy());
  }
}
