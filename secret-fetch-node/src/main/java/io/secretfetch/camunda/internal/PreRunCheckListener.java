package io.secretfetch.camunda.internal;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.camunda.PreRunCheckException;
import io.secretfetch.camunda.validation.SecretRequirement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs when a process instance starts, before its first activity: checks (without reading values)
 * every secret the definition names for the instance's tenant, and refuses the start with the
 * full report when any does not resolve. Successful checks are remembered briefly per tenant, so a
 * busy process does not ask the provider on every start.
 */
public final class PreRunCheckListener implements ExecutionListener {
  private static final Logger log = LoggerFactory.getLogger(PreRunCheckListener.class);

  private final SecretFetchRuntime runtime;
  private final String processKey;
  private final Map<SecretRef, Set<String>> usages = new LinkedHashMap<>();
  /** Each reference as written, by its full form (default provider filled in). */
  private final Map<SecretRef, SecretRef> writtenByFull = new LinkedHashMap<>();
  /**
   * Per tenant ({@code ""} for none): until when ({@link System#nanoTime()}) every secret of this
   * definition is trusted, set when one start checked them all; a start within it costs one
   * lookup instead of one per secret.
   */
  private final Map<String, Long> allOkUntil = new ConcurrentHashMap<>();

  public PreRunCheckListener(SecretFetchRuntime runtime, String processKey,
      List<SecretRequirement> requirements) {
    this.runtime = runtime;
    this.processKey = processKey;
    for (SecretRequirement r : requirements) {
      usages.computeIfAbsent(r.ref(), k -> new LinkedHashSet<>()).add(r.element());
    }
    for (SecretRef written : usages.keySet()) {
      writtenByFull.put(runtime.withDefaultProvider(written), written);
    }
  }

  @Override
  public void notify(DelegateExecution execution) {
    String tenant = execution.getTenantId();
    String tenantKey = tenant == null ? "" : tenant;
    long now = System.nanoTime();
    Long until = allOkUntil.get(tenantKey);
    if (until != null && now - until < 0) {
      return;
    }
    Map<SecretRef, SecretRef> toCheck = new LinkedHashMap<>();
    writtenByFull.forEach((full, written) -> {
      if (!runtime.recentlyChecked(tenant, full)) {
        toCheck.put(full, written);
      }
    });
    if (toCheck.isEmpty()) {
      return;
    }
    SecretContext context = runtime.context(tenant, execution.getProcessInstanceId(), null);
    Map<SecretRef, SecretCheck> results = runtime.resolver().check(toCheck.keySet(), context);
    Map<SecretRef, SecretException> failures = new LinkedHashMap<>();
    results.forEach((full, check) -> {
      if (check.isOk()) {
        runtime.checkedOk(tenant, full);
      } else {
        failures.put(toCheck.get(full), check.problem());
      }
    });
    if (failures.isEmpty()) {
      long trust = runtime.preRunCheckCacheTtl().toNanos();
      if (toCheck.size() == writtenByFull.size() && trust > 0) {
        allOkUntil.put(tenantKey, now + trust);
      }
      return;
    }
    ValidationReport report = ValidationReport.of(
        "process '" + processKey + "'" + (tenant == null ? "" : " (tenant '" + tenant + "')"),
        problems(failures, (ExecutionEntity) execution));
    log.warn("Refused to start {}: {} secret(s) do not resolve", report.subject(),
        failures.size());
    throw new PreRunCheckException(report);
  }

  /**
   * One problem per failing reference. When the definition was imported as a bundle, each is named
   * by its manifest slot (what an operator binds) and BPMN file rather than by the bare reference.
   */
  private List<ValidationProblem> problems(Map<SecretRef, SecretException> failures,
      ExecutionEntity execution) {
    ProcessDefinitionEntity definition = execution.getProcessDefinition();
    SecretManifest manifest = deployedManifest(definition.getDeploymentId());
    List<ValidationProblem> problems = new ArrayList<>(failures.size());
    failures.forEach((written, failure) -> {
      String element = String.join(", ", usages.get(written));
      Optional<ManifestSlot> slot =
          manifest == null ? Optional.empty() : manifest.slotOf(written);
      ValidationProblem problem = ValidationProblem.of(
          slot.map(ManifestSlot::slot).orElse(written.toString()), element, failure);
      problems.add(slot.isPresent() ? problem.inFile(definition.getResourceName()) : problem);
    });
    return problems;
  }

  private static SecretManifest deployedManifest(String deploymentId) {
    ResourceEntity resource = Context.getCommandContext().getResourceManager()
        .findResourceByDeploymentIdAndResourceName(deploymentId, SecretManifest.FILE_NAME);
    if (resource == null) {
      return null;
    }
    try {
      return SecretManifest.parse(new String(resource.getBytes(), StandardCharsets.UTF_8),
          "deployment " + deploymentId + "/" + SecretManifest.FILE_NAME);
    } catch (ManifestException e) {
      // Import validated it; a manifest edited in the database since is not worth a second error.
      log.warn("Ignoring the unreadable manifest of deployment {}: {}", deploymentId,
          e.getMessage());
      return null;
    }
  }
}
