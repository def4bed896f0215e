package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import io.secretfetch.camunda.variable.SecretTypedValue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secret Fetch task on a real engine: resolving, storing, failing, tenancy. */
class SecretFetchDelegateTest {
  static final String KEY = "sk-live-4f9a1c0e-delegate-test";
  static String jdbcUrl;
  static InMemorySecretProvider memory;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static RuntimeService runtime;

  @BeforeAll
  static void start() {
    memory = new InMemorySecretProvider("memory");
    memory.put("api-key", KEY);
    memory.put("db", "{\"user\":\"app\",\"password\":\"pw-7c1e-db-field\"}");
    memory.put("not-json", "plain text value 9d2b");
    memory.put("acme", "tenant-secret", "acme-only-secret-5e7f");
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    // The pre-run check would refuse the failing starts first; PreRunCheckTest covers it.
    engine = Engines.withPlugin("delegate-test", jdbcUrl,
        new SecretFetchPlugin(resolver).preRunCheck(false));
    runtime = engine.getRuntimeService();
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
  }

  static void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  static void deploy(Flow flow, String tenant) {
    engine.getRepositoryService().createDeployment().tenantId(tenant)
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  @Test
  void fetchesIntoASecretVariableThatStoresOnlyTheReference() throws Exception {
    deploy(Flow.process("basic")
        .fetch("fetchKey", "provider", "memory", "secretName", "api-key", "resultVariable", "apiKey")
        .userTask("wait"));

    ProcessInstance pi = runtime.startProcessInstanceByKey("basic");

    TypedValue typed = runtime.getVariableTyped(pi.getId(), "apiKey");
    assertThat(typed).isInstanceOf(SecretTypedValue.class);
    assertThat(typed.getType().getName()).isEqualTo("secret");
    assertThat(((SecretTypedValue) typed).ref().toString()).isEqualTo("memory:api-key@1");
    assertThat(((SecretValue) typed.getValue()).reveal()).isEqualTo(KEY);
    assertThat(typed.toString()).isEqualTo("SecretTypedValue[memory:api-key@1, ***]");

    List<String> rows = query("select TEXT_, TEXT2_, TYPE_ from ACT_RU_VARIABLE where NAME_ = 'apiKey'");
    assertThat(rows).containsExactly("memory:api-key@1|secret-ref/1|secret");
    assertThat(query("select TEXT_ from ACT_HI_VARINST where NAME_ = 'apiKey'"))
        .containsExactly("memory:api-key@1");
    assertThat(query("select BYTEARRAY_ID_ from ACT_RU_VARIABLE where NAME_ = 'apiKey'"))
        .containsExactly("null");
  }

  @Test
  void reResolvesAfterAWaitStateAndAnAsyncContinuation() {
    deploy(Flow.process("waitstate")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .userTask("wait")
        .service("use", Consumers.UseApiKey.class, "camunda:asyncBefore=\"true\"", ""));

    ProcessInstance pi = runtime.startProcessInstanceByKey("waitstate");
    int fetchesBefore = memory.fetchCount();
    resolver.invalidateAll(); // a fresh node: nothing cached
    String task = engine.getTaskService().createTaskQuery().processInstanceId(pi.getId())
        .singleResult().getId();
    engine.getTaskService().complete(task);
    String job = engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .singleResult().getId();
    engine.getManagementService().executeJob(job);

    assertThat(Consumers.SEEN).containsExactly(KEY);
    assertThat(memory.fetchCount()).isEqualTo(fetchesBefore + 1);
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count()).isZero();
  }

  @Test
  void expressionsYieldTheSecretValueNeverAString() {
    deploy(Flow.process("expr")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .node("gw", "<exclusiveGateway id=\"gw\" default=\"f2\"/>")
        .userTask("wait")
        .extra("<sequenceFlow id=\"isSecret\" sourceRef=\"gw\" targetRef=\"secretSeen\">"
            + "<conditionExpression xsi:type=\"tFormalExpression\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "${apiKey.ref().name() == 'api-key' and apiKey.version() == '1'}</conditionExpression></sequenceFlow>"
            + "<userTask id=\"secretSeen\"/>"));

    ProcessInstance pi = runtime.startProcessInstanceByKey("expr");

    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(pi.getId())
        .singleResult().getTaskDefinitionKey()).isEqualTo("secretSeen");
  }

  @Test
  void jsonOutputWithAFieldStoresTheFieldReference() {
    deploy(Flow.process("json")
        .fetch("fetchDb", "secretName", "db", "outputFormat", "json", "field", "password",
            "resultVariable", "dbPassword")
        .userTask("wait"));

    ProcessInstance pi = runtime.startProcessInstanceByKey("json");
    resolver.invalidateAll();

    SecretTypedValue typed = runtime.getVariableTyped(pi.getId(), "dbPassword");
    assertThat(typed.ref().toString()).isEqualTo("memory:db@1#password");
    assertThat(typed.getValue().reveal()).isEqualTo("pw-7c1e-db-field");
  }

  @Test
  void pinnedVersionIsResolvedAndKept() {
    memory.put("rotating", "first-version-value");
    memory.put("rotating", "second-version-value");
    deploy(Flow.process("pinned")
        .fetch("fetch", "secretName", "rotating", "version", "1", "resultVariable", "s")
        .userTask("wait"));

    ProcessInstance pi = runtime.startProcessInstanceByKey("pinned");

    SecretTypedValue typed = runtime.getVariableTyped(pi.getId(), "s");
    assertThat(typed.ref().toString()).isEqualTo("memory:rotating@1");
    assertThat(typed.getValue().reveal()).isEqualTo("first-version-value");
  }

  @Test
  void nonJsonValueWithJsonOutputFailsWithMalformedValue() {
    deploy(Flow.process("badjson")
        .fetch("fetch", "secretName", "not-json", "outputFormat", "json", "resultVariable", "s"));

    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("badjson"))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining("[MALFORMED_VALUE]")
        .hasMessageContaining("'fetch'")
        .hasMessageNotContaining("plain text value");
  }

  @Test
  void uncaughtFailureFailsTheCommandNamingSecretAndRemedy() {
    deploy(Flow.process("missing")
        .fetch("fetchMissing", "secretName", "no-such-secret", "resultVariable", "s"));

    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("missing"))
        .isInstanceOfSatisfying(SecretFetchException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND);
          assertThat(e.element()).isEqualTo("fetchMissing");
        })
        .hasMessageContaining("Secret Fetch in 'fetchMissing' failed: [NOT_FOUND] secret 'memory:no-such-secret'")
        .hasMessageContaining("Remedy: " + SecretError.NOT_FOUND.defaultRemedy());
    // Not the engine's default for an uncaught BPMN error (silently ending the instance):
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKey("missing").count()).isZero();
  }

  @Test
  void caughtFailureIsABpmnErrorWithTheSecretErrorCode() {
    memory.put("denied-secret", "never-returned-4d1a");
    memory.deny(null, "denied-secret");
    engine.getRepositoryService().createDeployment()
        .addString("caught.bpmn", withError(Flow.process("caught")
            .fetch("fetchDenied", "secretName", "denied-secret", "resultVariable", "s")
            .extra("<boundaryEvent id=\"onDenied\" attachedToRef=\"fetchDenied\">"
                + "<errorEventDefinition errorRef=\"denied\" camunda:errorMessageVariable=\"why\"/></boundaryEvent>"
                + "<userTask id=\"fixAccess\"/>"
                + "<sequenceFlow id=\"toFix\" sourceRef=\"onDenied\" targetRef=\"fixAccess\"/>")
            .xml(), "denied", "ACCESS_DENIED"))
        .deploy();

    ProcessInstance pi = runtime.startProcessInstanceByKey("caught");

    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(pi.getId())
        .singleResult().getTaskDefinitionKey()).isEqualTo("fixAccess");
    assertThat((String) runtime.getVariable(pi.getId(), "why"))
        .contains("[ACCESS_DENIED] secret 'memory:denied-secret'")
        .doesNotContain("never-returned");
  }

  @Test
  void aBoundaryForAnotherCodeDoesNotCatch() {
    engine.getRepositoryService().createDeployment()
        .addString("other.bpmn", withError(Flow.process("other")
            .fetch("fetchMissing", "secretName", "missing-too", "resultVariable", "s")
            .extra("<boundaryEvent id=\"onDenied\" attachedToRef=\"fetchMissing\">"
                + "<errorEventDefinition errorRef=\"denied\"/></boundaryEvent>"
                + "<userTask id=\"fixAccess\"/>"
                + "<sequenceFlow id=\"toFix\" sourceRef=\"onDenied\" targetRef=\"fixAccess\"/>")
            .xml(), "denied", "ACCESS_DENIED"))
        .deploy();

    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("other"))
        .isInstanceOfSatisfying(SecretFetchException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND));
  }

  @Test
  void tenantBCannotFetchTenantAsSecretEvenByName() {
    Flow flow = Flow.process("tenancy")
        .fetch("fetchTenant", "secretName", "tenant-secret", "resultVariable", "s")
        .userTask("wait");
    deploy(flow, "acme");
    deploy(flow, "globex");

    ProcessInstance acme = runtime.createProcessInstanceByKey("tenancy")
        .processDefinitionTenantId("acme").execute();
    SecretTypedValue typed = runtime.getVariableTyped(acme.getId(), "s");
    assertThat(typed.getValue().reveal()).isEqualTo("acme-only-secret-5e7f");

    assertThatThrownBy(() -> runtime.createProcessInstanceByKey("tenancy")
            .processDefinitionTenantId("globex").execute())
        .isInstanceOfSatisfying(SecretFetchException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.NOT_FOUND))
        .hasMessageNotContaining("acme-only-secret");
  }

  @Test
  void copyingTheSecretVariableKeepsItSecretButCopyingPlaintextIsRefused() {
    deploy(Flow.process("copies")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("copy", Consumers.CopiesSecret.class)
        .userTask("wait"));
    ProcessInstance pi = runtime.startProcessInstanceByKey("copies");
    assertThat((TypedValue) runtime.getVariableTyped(pi.getId(), "copy")).isInstanceOf(SecretTypedValue.class);

    deploy(Flow.process("plaincopy")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("copy", Consumers.CopiesPlaintext.class));
    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("plaincopy"))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining(
            "variable 'copy' (type string) would store a secret value as plain text")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void setVariableWithASecretValueFromOutsideUsesTheSecretType() {
    deploy(Flow.process("outside").userTask("wait"));
    ProcessInstance pi = runtime.startProcessInstanceByKey("outside");
    try (SecretValue v = resolver.resolve("memory:api-key", io.secretfetch.api.SecretContext.system())) {
      runtime.setVariables(pi.getId(), Map.of("given", v));
    }
    resolver.invalidateAll();
    SecretTypedValue typed = runtime.getVariableTyped(pi.getId(), "given");
    assertThat(typed.getValue().reveal()).isEqualTo(KEY);
  }

  static String withError(String xml, String id, String code) {
    return xml.replace("<process ", "<error id=\"" + id + "\" errorCode=\"" + code + "\"/>\n<process ");
  }

  static List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cols.add(String.valueOf(rs.getString(i)));
        }
        out.add(String.join("|", cols));
      }
    }
    return out;
  }
}
