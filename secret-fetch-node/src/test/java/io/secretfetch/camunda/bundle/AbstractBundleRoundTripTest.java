package io.secretfetch.camunda.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.manifest.BindingsProfile;
import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.camunda.PreRunCheckException;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.platform.bindings.Bindings;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.SuspendedEntityInteractionException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's round trip with a real engine and the real platform store: export a bundle, import
 * it into an empty environment (blocked, full report), apply a bindings profile with one literal
 * and one generated value, import again (activates), run it; re-applying rotates.
 */
abstract class AbstractBundleRoundTripTest {
  private static final String TENANT = "acme";
  private static final String LITERAL = "round-trip-literal-5d1c";
  private static final SecretContext ACME = SecretContext.forTenant(TENANT).withActor("ops");

  static final String BPMN = """
      <?xml version="1.0" encoding="UTF-8"?>
      <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                   xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                   targetNamespace="http://secretfetch.io/test">
        <process id="billing" isExecutable="true" camunda:historyTimeToLive="P1D">
          <startEvent id="start"/>
          <sequenceFlow id="f1" sourceRef="start" targetRef="fetchKey"/>
          <serviceTask id="fetchKey" name="API key" camunda:class="io.secretfetch.camunda.SecretFetchDelegate">
            <extensionElements>
              <camunda:field name="secretName" stringValue="billing/api-key"/>
              <camunda:field name="resultVariable" stringValue="apiKey"/>
            </extensionElements>
          </serviceTask>
          <sequenceFlow id="f2" sourceRef="fetchKey" targetRef="fetchHook"/>
          <serviceTask id="fetchHook" name="Webhook secret" camunda:class="io.secretfetch.camunda.SecretFetchDelegate">
            <extensionElements>
              <camunda:field name="provider" stringValue="platform"/>
              <camunda:field name="secretName" stringValue="billing/webhook"/>
              <camunda:field name="resultVariable" stringValue="hookSecret"/>
            </extensionElements>
          </serviceTask>
          <sequenceFlow id="f3" sourceRef="fetchHook" targetRef="end"/>
          <endEvent id="end"/>
        </process>
      </definitions>
      """;

  @TempDir Path dir;
  PlatformSecretStore store;
  ProcessEngine engine;

  /** A store on this test's database, empty. */
  abstract PlatformSecretStore.Builder storeOnDatabase();

  @BeforeEach
  void startStoreAndEngine() {
    store = storeOnDatabase().masterKey(MasterKey.generate()).build();
    SecretResolver resolver = SecretResolver.builder()
        .provider(new PlatformSecretProvider("platform", store, false))
        .defaultProvider("platform").build();
    engine = Engines.withPlugin("bundles-" + getClass().getSimpleName(), Engines.newH2Url(),
        resolver);
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  @Test
  void exportImportBlockedBindImportActivatesRunRotate() throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("billing"));
    Files.writeString(bundle.resolve("billing.bpmn"), BPMN);

    // Export
    ExportResult export = new BundleExporter().export(bundle);
    assertThat(export.problems().isOk()).isTrue();
    SecretManifest manifest = export.manifest();
    assertThat(manifest.slots()).extracting(s -> s.slot() + "=" + s.ref() + "@" + s.usedBy())
        .containsExactly("billing-api-key=billing/api-key@[billing.bpmn#fetchKey]",
            "billing-webhook=platform:billing/webhook@[billing.bpmn#fetchHook]");
    manifest.write(bundle.resolve(SecretManifest.FILE_NAME));

    // Import into an empty environment: blocked, with every problem.
    BundleImporter importer = new BundleImporter(engine);
    ImportResult refused = importer.importBundle(bundle, TENANT, BundleImporter.Mode.REFUSE);
    assertThat(refused.outcome()).isEqualTo(ImportResult.Outcome.REFUSED);
    assertThat(refused.deploymentId()).isNull();
    assertThat(engine.getRepositoryService().createDeploymentQuery().count()).isZero();
    assertThat(refused.report().problems())
        .extracting(p -> p.slot() + "|" + p.file() + "|" + p.element() + "|" + p.code())
        .containsExactly("billing-api-key|billing.bpmn|fetchKey|NOT_FOUND",
            "billing-webhook|billing.bpmn|fetchHook|NOT_FOUND");
    assertThat(refused.report().summary()).contains("bundle 'billing' (tenant 'acme')")
        .contains("Remedy: ");

    // By choice: deploy suspended. Nothing can start.
    ImportResult suspended =
        importer.importBundle(bundle, TENANT, BundleImporter.Mode.DEPLOY_SUSPENDED);
    assertThat(suspended.outcome()).isEqualTo(ImportResult.Outcome.DEPLOYED_SUSPENDED);
    assertThat(engine.getRepositoryService().getDeploymentResourceNames(suspended.deploymentId()))
        .contains(SecretManifest.FILE_NAME, "billing.bpmn");
    assertThat(engine.getRepositoryService().getProcessDefinition(
        suspended.processDefinitionIds().get(0)).isSuspended()).isTrue();
    assertThatThrownBy(() -> startBilling()).isInstanceOf(SuspendedEntityInteractionException.class);
    assertThat(importer.revalidate(suspended.deploymentId()).outcome())
        .isEqualTo(ImportResult.Outcome.STILL_SUSPENDED);
    // Importing the unchanged bundle again deploys nothing new.
    assertThat(importer.importBundle(bundle, TENANT, BundleImporter.Mode.DEPLOY_SUSPENDED)
        .deploymentId()).isEqualTo(suspended.deploymentId());
    assertThat(engine.getRepositoryService().createDeploymentQuery().count()).isOne();

    // Bindings: one literal, one generated.
    Path profileFile = dir.resolve("profile.json");
    Files.writeString(profileFile, Bindings.template(manifest)
        .replaceFirst("\"<fill in>\"", "\"" + LITERAL + "\"")
        .replaceFirst("\"<fill in>\"", "{\"generate\": {\"length\": 32, \"alphabet\": \"base62\"}}"));
    Bindings bindings = Bindings.of(store);
    Bindings.ApplyResult applied;
    try (BindingsProfile profile = BindingsProfile.read(profileFile)) {
      applied = bindings.apply(manifest, profile, ACME);
    }
    assertThat(applied.applied()).extracting(a -> a.slot() + "@" + a.version() + "/" + a.created())
        .containsExactly("billing-api-key@1/true", "billing-webhook@1/true");
    assertThat(applied.report().isOk()).isTrue();
    assertThat(applied.toString()).doesNotContain(LITERAL);
    try (var v = store.value(ACME, "billing/api-key")) {
      assertThat(v.reveal()).isEqualTo(LITERAL);
    }
    try (var v = store.value(ACME, "billing/webhook")) {
      assertThat(v.reveal()).matches("[A-Za-z0-9]{32}");
    }

    // Import again: everything resolves, the suspended deployment activates.
    ImportResult activated = importer.revalidate(suspended.deploymentId());
    assertThat(activated.outcome()).isEqualTo(ImportResult.Outcome.ACTIVATED);
    assertThat(activated.report().isOk()).isTrue();
    ImportResult deployed = importer.importBundle(bundle, TENANT, BundleImporter.Mode.REFUSE);
    assertThat(deployed.outcome()).isEqualTo(ImportResult.Outcome.DEPLOYED);
    assertThat(deployed.deploymentId()).isEqualTo(suspended.deploymentId());
    assertThat(engine.getRepositoryService().createDeploymentQuery().count()).isOne();

    // Run it.
    ProcessInstance pi = startBilling();
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(pi.getId()).singleResult().getState()).isEqualTo("COMPLETED");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(pi.getId()).list())
        .extracting(v -> v.getName() + ":" + v.getTypeName())
        .containsExactlyInAnyOrder("apiKey:secret", "hookSecret:secret");

    // Re-applying rotates: same refs, new versions; show lists them without values.
    try (BindingsProfile profile = BindingsProfile.read(profileFile)) {
      assertThat(bindings.apply(manifest, profile, ACME).applied())
          .extracting(a -> a.ref() + "@" + a.version() + "/" + a.created())
          .containsExactly("billing/api-key@2/false", "platform:billing/webhook@2/false");
    }
    List<Bindings.BindingInfo> shown = bindings.show(manifest, ACME);
    assertThat(shown).extracting(b -> b.slot() + "|" + b.provider() + "|" + b.version() + "|"
        + b.status()).containsExactly("billing-api-key|platform|2|bound", "billing-webhook|platform|2|bound");
    assertThat(shown.toString()).doesNotContain(LITERAL);
    assertThat(shown).allSatisfy(b -> assertThat(b.updatedAt()).isNotNull());
  }

  @Test
  void thePreRunCheckOfAnImportedBundleNamesTheManifestSlots() throws Exception {
    Path bundle = dir.resolve("billing");
    Files.createDirectories(bundle);
    Files.writeString(bundle.resolve("billing.bpmn"), BPMN);
    new BundleExporter().export(bundle).manifest().write(bundle.resolve(SecretManifest.FILE_NAME));
    BundleImporter importer = new BundleImporter(engine);
    ImportResult suspended =
        importer.importBundle(bundle, TENANT, BundleImporter.Mode.DEPLOY_SUSPENDED);
    // An operator activates it by hand, past the import's re-validation: the start is still refused.
    engine.getRepositoryService()
        .activateProcessDefinitionById(suspended.processDefinitionIds().get(0));

    assertThatThrownBy(this::startBilling)
        .isInstanceOfSatisfying(PreRunCheckException.class, e ->
            assertThat(e.report().problems())
                .extracting(p -> p.slot() + "|" + p.file() + "|" + p.element() + "|" + p.code())
                .containsExactlyInAnyOrder("billing-api-key|billing.bpmn|fetchKey|NOT_FOUND",
                    "billing-webhook|billing.bpmn|fetchHook|NOT_FOUND"));
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isZero();

    // Importing the unchanged bundle again suspends its definitions again, in the same deployment.
    ImportResult again =
        importer.importBundle(bundle, TENANT, BundleImporter.Mode.DEPLOY_SUSPENDED);
    assertThat(again.deploymentId()).isEqualTo(suspended.deploymentId());
    assertThat(engine.getRepositoryService()
        .getProcessDefinition(suspended.processDefinitionIds().get(0)).isSuspended()).isTrue();
  }

  @Test
  void aBadProfileIsRefusedWholeAndWritesNothing() throws Exception {
    SecretManifest manifest = SecretManifest.parse("""
        {"schemaVersion": 1, "bundle": "b", "slots": [
          {"slot": "ok", "secretRef": {"name": "b/ok"}},
          {"slot": "cloud", "provider": "aws", "secretRef": {"name": "prod/db"}},
          {"slot": "cloud2", "provider": "vault", "secretRef": {"name": "kv/x"}},
          {"slot": "later", "secretRef": {"name": "b/later"}}]}
        """, "m.json");
    String json = "{\"bindings\": {"
        + "\"ok\": {\"secret\": \"" + LITERAL + "\"},"
        + "\"cloud\": {\"secret\": {\"generate\": {\"length\": 32}}},"
        + "\"cloud2\": {\"secret\": \"" + LITERAL + "\"},"
        + "\"later\": {\"secret\": \"<fill in>\"},"
        + "\"nosuch\": {\"secret\": \"" + LITERAL + "\"}}}";
    try (BindingsProfile profile =
        BindingsProfile.parse(json.getBytes(StandardCharsets.UTF_8), "p.json")) {
      assertThatThrownBy(() -> Bindings.of(store).apply(manifest, profile, ACME))
          .isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.error()).isEqualTo(SecretError.INVALID_INPUT);
            assertThat(e.getMessage())
                .contains("slot 'cloud': generate cannot be stored for provider 'aws'")
                .contains("slot 'cloud2': a value cannot be stored for provider 'vault'")
                .contains("slot 'later': the placeholder <fill in> is still there")
                .contains("slot 'nosuch': unknown slot")
                .contains("nothing was written")
                .doesNotContain(LITERAL);
          });
    }
    assertThat(store.check(ACME, List.of(SecretRef.parse("b/ok"))).values())
        .allSatisfy(c -> assertThat(c.error()).isEqualTo(SecretError.NOT_FOUND));
  }

  @Test
  void validateFindsASecretValueInTheFlowAndATaskWhoseRefDoesNotMatchItsSlot() throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("b"));
    Files.writeString(bundle.resolve("billing.bpmn"), BPMN.replace("billing/webhook", "billing/renamed"));
    Files.writeString(bundle.resolve("literal.bpmn"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                     xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
          <process id="literal" isExecutable="true">
            <serviceTask id="call" camunda:expression="${true}">
              <extensionElements>
                <camunda:properties><camunda:property name="secretfetch.secretInputs" value="token"/></camunda:properties>
                <camunda:inputOutput><camunda:inputParameter name="token">hunter2-pasted</camunda:inputParameter></camunda:inputOutput>
              </extensionElements>
            </serviceTask>
          </process>
        </definitions>
        """);
    Path original = Files.createDirectories(dir.resolve("orig"));
    Files.writeString(original.resolve("billing.bpmn"), BPMN);
    new BundleExporter().export(original).manifest().write(bundle.resolve(SecretManifest.FILE_NAME));

    ValidationReport report = new BundleImporter(engine).validate(bundle, TENANT);
    assertThat(report.problems()).anySatisfy(p -> {
      assertThat(p.file()).isEqualTo("literal.bpmn");
      assertThat(p.element()).isEqualTo("call");
      assertThat(p.detail()).startsWith("a secret value is written into the flow definition")
          .doesNotContain("hunter2");
    });
    assertThat(report.problems()).anySatisfy(p -> {
      assertThat(p.slot()).isEqualTo("billing-webhook");
      assertThat(p.element()).isEqualTo("fetchHook");
      assertThat(p.code()).isEqualTo(SecretError.INVALID_REFERENCE);
      assertThat(p.detail()).isEqualTo("the task uses secret ref platform:billing/renamed but its"
          + " slot 'billing-webhook' is bound to platform:billing/webhook");
    });
    assertThat(new BundleImporter(engine)
        .importBundle(bundle, TENANT, BundleImporter.Mode.DEPLOY_SUSPENDED).outcome())
        .as("BPMN that breaks the rules is refused even when suspension was chosen")
        .isEqualTo(ImportResult.Outcome.REFUSED);
  }

  private ProcessInstance startBilling() {
    return engine.getRuntimeService().createProcessInstanceByKey("billing")
        .processDefinitionTenantId(TENANT).execute();
  }
}
