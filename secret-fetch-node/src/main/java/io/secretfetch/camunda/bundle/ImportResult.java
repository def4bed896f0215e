package io.secretfetch.camunda.bundle;

import io.secretfetch.api.manifest.ValidationReport;
import java.util.List;

/**
 * What an import or re-validation did.
 *
 * @param outcome what happened
 * @param deploymentId the deployment made or re-validated; null when refused
 * @param processDefinitionIds its process definitions; empty when refused
 * @param report the validation report: every problem found, or none
 */
public record ImportResult(
    Outcome outcome, String deploymentId, List<String> processDefinitionIds,
    ValidationReport report) {

  public ImportResult {
    processDefinitionIds = List.copyOf(processDefinitionIds);
  }

  /** What an import or re-validation did. */
  public enum Outcome {
    /** Every secret resolved: deployed, process definitions active. */
    DEPLOYED,
    /** Some secret did not resolve and suspension was chosen: deployed, definitions suspended. */
    DEPLOYED_SUSPENDED,
    /** Not deployed: the report says why. */
    REFUSED,
    /** Re-validation passed: the deployment's definitions are active. */
    ACTIVATED,
    /** Re-validation failed: the definitions stay suspended. */
    STILL_SUSPENDED
  }
}
