package io.secretfetch.camunda.bundle;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.ManifestValidator;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.SlotUsage;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.camunda.internal.SecretFetchRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.SuspensionState;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports flow bundles into a process engine that runs the {@link
 * io.secretfetch.camunda.SecretFetchPlugin}: validates the bundle against the secrets of the target
 * tenant (through the plugin's resolver, batch checks only, no values read), then deploys it with
 * its manifest as a deployment resource, or refuses with the report, or (by choice) deploys it
 * with its process definitions suspended until {@link #revalidate} finds every secret and
 * activates them.
 *
 * <p>Validation reports, all at once: BPMN that breaks the secret-flow rules (a secret value
 * written into the flow definition, ...); a task whose ref does not match the ref of the slot that
 * lists it; a secret the BPMN uses that no slot binds; a slot without a secret ref; and every slot
 * whose secret is missing, deleted, expired or unreadable in the tenant.
 */
public final class BundleImporter {
  private static final Logger log = LoggerFactory.getLogger(BundleImporter.class);

  private final ProcessEngine engine;
  private final SecretFetchRuntime runtime;
  private final BundleExporter exporter;

  /**
   * @throws SecretException {@code CONFIGURATION} when the engine has no SecretFetchPlugin
   */
  public BundleImporter(ProcessEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.runtime = SecretFetchRuntime.of(config());
    if (runtime == null) {
      throw SecretException.configuration("the process engine '" + engine.getName() + "' has no SecretFetchPlugin",
          "Register io.secretfetch.camunda.SecretFetchPlugin with the engine");
    }
    this.exporter = new BundleExporter(runtime.templateSecretInputs());
  }

  /** Whether an import may deploy when some secret does not resolve. */
  public enum Mode {
    /** Refuse the import. */
    REFUSE,
    /** Deploy with the process definitions suspended; {@link #revalidate} activates them. */
    DEPLOY_SUSPENDED
  }

  /**
   * Validates the bundle at {@code bundle} (folder or zip) for {@code tenantId} (null: the default
   * tenant) without deploying anything.
   *
   * @throws ManifestException when the bundle has no manifest, or it or a BPMN file is malformed
   */
  public ValidationReport validate(Path bundle, String tenantId) throws IOException {
    return validate(Bundle.open(bundle), tenantId);
  }

  /** Validates a bundle already read. */
  public ValidationReport validate(Bundle bundle, String tenantId) {
    SecretManifest manifest = bundle.manifest().orElseThrow(() -> new ManifestException(
        bundle.name() + "/" + SecretManifest.FILE_NAME, "", "the bundle has no manifest",
        "Export it first (BundleExporter.export, or the CLI's bundles export)"));
    List<ValidationProblem> problems = new ArrayList<>();
    BundleScan scan = exporter.scan(bundle);
    problems.addAll(scan.problems());
    problems.addAll(mismatches(manifest, scan));
    SecretContext context = context(tenantId);
    problems.addAll(
        ManifestValidator.validate(withDefaultProvider(manifest), runtime.resolver(), context)
            .problems());
    return ValidationReport.of(ManifestValidator.subject(manifest, context), problems);
  }

  /**
   * Imports the bundle at {@code bundle} for {@code tenantId} (null: the default tenant).
   *
   * @return {@code DEPLOYED} when every secret resolves; otherwise {@code REFUSED}, or with {@link
   *     Mode#DEPLOY_SUSPENDED} {@code DEPLOYED_SUSPENDED}. BPMN that breaks the secret-flow rules
   *     is always refused. Importing a bundle unchanged since its last import (same name, tenant
   *     and bytes) deploys nothing new: the result names that deployment, its definitions active
   *     or suspended as this import decided.
   */
  public ImportResult importBundle(Path bundle, String tenantId, Mode mode) throws IOException {
    return importBundle(Bundle.open(bundle), tenantId, mode);
  }

  /** Imports a bundle already read. */
  public ImportResult importBundle(Bundle bundle, String tenantId, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    ValidationReport report = validate(bundle, tenantId);
    boolean flowProblems = report.problems().stream()
        .anyMatch(p -> p.slot().equals(BundleScan.FLOW));
    if (!report.isOk() && (mode == Mode.REFUSE || flowProblems)) {
      log.warn("Refused to import {}: {} problem(s)", report.subject(), report.problems().size());
      return new ImportResult(ImportResult.Outcome.REFUSED, null, List.of(), report);
    }
    boolean suspend = !report.isOk();
    String manifestJson = bundle.manifest().orElseThrow().toJson();
    RepositoryService repository = engine.getRepositoryService();
    // One command: the definitions are inserted already suspended (set on the new entities before
    // the flush), so no instance can start in between. An unchanged bundle (same name, tenant and
    // bytes as its last import) is not deployed again: Camunda's duplicate filter hands back that
    // deployment, whose definitions are then brought to the state this import decided.
    DeploymentWithDefinitions deployment = config().getCommandExecutorTxRequired().execute(ctx -> {
      DeploymentBuilder builder = repository.createDeployment().name(bundle.name())
          .source("secret-fetch bundle").tenantId(tenantId).enableDuplicateFiltering(false)
          .addInputStream(SecretManifest.FILE_NAME,
              new ByteArrayInputStream(manifestJson.getBytes(StandardCharsets.UTF_8)));
      bundle.bpmn().forEach((file, bytes) ->
          builder.addInputStream(file, new ByteArrayInputStream(bytes)));
      DeploymentWithDefinitions d = builder.deployWithResult();
      if (suspend && d.getDeployedProcessDefinitions() != null) {
        for (ProcessDefinition def : d.getDeployedProcessDefinitions()) {
          ((ProcessDefinitionEntity) def).setSuspensionState(
              SuspensionState.SUSPENDED.getStateCode());
        }
      }
      return d;
    });
    List<ProcessDefinition> definitions = definitions(deployment.getId());
    boolean unchanged = deployment.getDeployedProcessDefinitions() == null
        || deployment.getDeployedProcessDefinitions().isEmpty();
    if (unchanged) {
      for (ProcessDefinition def : definitions) {
        if (def.isSuspended() != suspend) {
          var update = repository.updateProcessDefinitionSuspensionState()
              .byProcessDefinitionId(def.getId());
          if (suspend) {
            update.suspend();
          } else {
            update.activate();
          }
        }
      }
    }
    List<String> ids = definitions.stream().map(ProcessDefinition::getId).toList();
    log.info("Imported {} as {} deployment {}{}", report.subject(),
        unchanged ? "the unchanged" : "new", deployment.getId(),
        suspend ? " with its process definitions suspended" : "");
    return new ImportResult(suspend ? ImportResult.Outcome.DEPLOYED_SUSPENDED
        : ImportResult.Outcome.DEPLOYED, deployment.getId(), ids, report);
  }

  /**
   * Validates a deployment's stored manifest again, for the deployment's tenant, and activates its
   * suspended process definitions when every secret resolves.
   *
   * @return {@code ACTIVATED} or {@code STILL_SUSPENDED}, with the report
   * @throws IllegalArgumentException when there is no such deployment, or it holds no manifest
   */
  public ImportResult revalidate(String deploymentId) {
    RepositoryService repository = engine.getRepositoryService();
    Deployment deployment = repository.createDeploymentQuery().deploymentId(deploymentId)
        .singleResult();
    if (deployment == null) {
      throw new IllegalArgumentException("There is no deployment '" + deploymentId + "'");
    }
    if (!repository.getDeploymentResourceNames(deploymentId).contains(SecretManifest.FILE_NAME)) {
      throw new IllegalArgumentException("Deployment '" + deploymentId + "' holds no "
          + SecretManifest.FILE_NAME + "; it was not imported as a bundle");
    }
    SecretManifest manifest;
    try (InputStream in = repository.getResourceAsStream(deploymentId, SecretManifest.FILE_NAME)) {
      manifest = SecretManifest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "deployment " + deploymentId + "/" + SecretManifest.FILE_NAME);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the manifest of deployment " + deploymentId, e);
    }
    ValidationReport report = ManifestValidator.validate(withDefaultProvider(manifest),
        runtime.resolver(), context(deployment.getTenantId()));
    List<ProcessDefinition> definitions = definitions(deploymentId);
    List<String> ids = definitions.stream().map(ProcessDefinition::getId).toList();
    if (!report.isOk()) {
      return new ImportResult(ImportResult.Outcome.STILL_SUSPENDED, deploymentId, ids, report);
    }
    for (ProcessDefinition def : definitions) {
      if (def.isSuspended()) {
        repository.updateProcessDefinitionSuspensionState().byProcessDefinitionId(def.getId())
            .activate();
      }
    }
    log.info("Re-validated {}: activated deployment {}", report.subject(), deploymentId);
    return new ImportResult(ImportResult.Outcome.ACTIVATED, deploymentId, ids, report);
  }

  /**
   * The seed's "task ref does not match its slot's ref", and uses no slot binds at all: the BPMN
   * changed since the manifest was exported or edited.
   */
  static List<ValidationProblem> mismatches(SecretManifest manifest, BundleScan scan) {
    Map<SlotUsage, ManifestSlot> slotOfUse = new HashMap<>();
    for (ManifestSlot s : manifest.slots()) {
      s.usedBy().forEach(u -> slotOfUse.put(u, s));
    }
    List<ValidationProblem> out = new ArrayList<>();
    for (BundleScan.Use use : scan.uses()) {
      ManifestSlot slot = slotOfUse.get(new SlotUsage(use.file(), use.element()));
      if (slot != null && slot.ref() != null && !slot.ref().equals(use.ref())) {
        out.add(new ValidationProblem(slot.slot(), use.element(), use.ref(),
            SecretError.INVALID_REFERENCE, "the task uses secret ref " + use.ref()
                + " but its slot '" + slot.slot() + "' is bound to " + slot.ref(),
            "Make the task use " + slot.ref() + ", or bind the slot to " + use.ref()
                + " and export the manifest again", use.file()));
      } else if (slot == null && manifest.slotOf(use.ref()).isEmpty()) {
        out.add(new ValidationProblem(BundleScan.FLOW, use.element(), use.ref(),
            SecretError.INVALID_REFERENCE, "the task uses secret ref " + use.ref()
                + ", which no slot of the manifest binds",
            "Export the manifest again so that it lists every secret the BPMN uses", use.file()));
      }
    }
    return out;
  }

  private SecretManifest withDefaultProvider(SecretManifest manifest) {
    List<ManifestSlot> slots = new ArrayList<>();
    for (ManifestSlot s : manifest.slots()) {
      SecretRef ref = s.ref() == null ? null : runtime.withDefaultProvider(s.ref());
      slots.add(new ManifestSlot(s.slot(), s.label(), ref, s.usedBy()));
    }
    return new SecretManifest(manifest.schemaVersion(), manifest.bundle(), slots);
  }

  private static SecretContext context(String tenantId) {
    return new SecretContext(tenantId, "bundle-import", null, null);
  }

  private List<ProcessDefinition> definitions(String deploymentId) {
    return engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(deploymentId)
        .orderByProcessDefinitionKey().asc().list();
  }

  private ProcessEngineConfigurationImpl config() {
    return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
  }
}
