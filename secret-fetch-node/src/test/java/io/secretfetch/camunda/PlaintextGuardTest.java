package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricExternalTaskLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plaintext in shapes other than a String variable: objects, bytes, files, JSON and base64 text set
 * as variables, and an external task worker's failure message and details and BPMN error.
 */
class PlaintextGuardTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static String jdbcUrl;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static RuntimeService runtime;
  static ExternalTaskService externalTasks;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", S);
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    engine = Engines.withPlugin("guard-test", jdbcUrl, resolver);
    runtime = engine.getRuntimeService();
    externalTasks = engine.getExternalTaskService();
    deploy(Flow.process("shapes")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("store", Consumers.StoresPlaintextInOtherShapes.class)
        .userTask("wait"));
    deploy(Flow.process("external")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("call", "<serviceTask id=\"call\" camunda:type=\"external\" camunda:topic=\"call\"/>")
        .catchError("call", "LEAK"));
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  @BeforeEach
  void clear() {
    Consumers.REFUSED.clear();
  }

  static void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  /** Locks the instance's external task for the worker, as fetchAndLock would; its id. */
  static String lock(String processInstanceId) {
    String id = externalTasks.createExternalTaskQuery().processInstanceId(processInstanceId)
        .singleResult().getId();
    externalTasks.lock(id, "worker", 60_000);
    return id;
  }

  @Test
  void everyOtherShapeOfThePlaintextIsRefusedAndNothingOfItIsStored() throws Exception {
    String pi = runtime.startProcessInstanceByKey("shapes").getId();

    // The delegate caught each refusal and carried on, so the instance waits in its user task.
    assertThat(Consumers.REFUSED).containsExactly("object", "bytes", "file", "json", "basic");
    assertThat(runtime.getVariables(pi)).containsOnlyKeys("apiKey");
    // From outside too, with a message naming the variable and its type.
    assertThatThrownBy(() -> runtime.setVariable(pi, "settings",
        new HashMap<>(Map.of("nested", List.of("x", S)))))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining("variable 'settings' (type object) would store a secret value")
        .hasMessageNotContaining(S);
    // Nor can a query compare a variable with the value (an oracle for guessing it).
    assertThatThrownBy(() -> runtime.createProcessInstanceQuery()
        .variableValueEquals("apiKey", S).list())
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining("cannot be searched for by value");
    // Ordinary values of each shape still pass.
    runtime.setVariable(pi, "plainBytes", "not a secret".getBytes());
    runtime.setVariable(pi, "plainObject", new HashMap<>(Map.of("k", "v")));
    assertThat(runtime.getVariables(pi)).containsKeys("plainBytes", "plainObject");

    assertThat(scanDatabase()).isEmpty();
  }

  @Test
  void anExternalTaskWorkersFailureIsStoredMasked() throws Exception {
    String pi = runtime.startProcessInstanceByKey("external").getId();
    String details = "java.io.IOException: 401 for Authorization: Bearer " + S
        + "\n\tat io.example.Worker.call(Worker.java:42)";

    externalTasks.handleFailure(lock(pi), "worker", "call failed with key " + S,
        details, 1, 0);
    String taskId = lock(pi);
    assertThat(externalTasks.createExternalTaskQuery().externalTaskId(taskId).singleResult()
        .getErrorMessage()).isEqualTo("call failed with key ***");
    assertThat(externalTasks.getExternalTaskErrorDetails(taskId))
        .contains("Bearer ***").contains("Worker.java:42").doesNotContain(S);

    externalTasks.handleFailure(taskId, "worker", "call failed with key " + S, details, 0, 0);
    assertThat(runtime.createIncidentQuery().processInstanceId(pi).singleResult()
        .getIncidentMessage()).isEqualTo("call failed with key ***");
    HistoryService history = engine.getHistoryService();
    List<HistoricExternalTaskLog> failures = history.createHistoricExternalTaskLogQuery()
        .processInstanceId(pi).failureLog().list();
    assertThat(failures).hasSize(2).allSatisfy(log -> {
      assertThat(log.getErrorMessage()).isEqualTo("call failed with key ***");
      assertThat(history.getHistoricExternalTaskLogErrorDetails(log.getId()))
          .contains("Bearer ***").doesNotContain(S);
    });

    assertThat(scanDatabase()).isEmpty();
  }

  @Test
  void anExternalTaskWorkersBpmnErrorIsMaskedAndItsVariablesGuarded() throws Exception {
    String pi = runtime.startProcessInstanceByKey("external").getId();
    String taskId = lock(pi);

    assertThatThrownBy(() -> externalTasks.handleBpmnError(taskId, "worker", "LEAK",
        "rejected key " + S, Map.of("response", "{\"token\":\"" + S + "\"}")))
        .hasMessageNotContaining(S)
        // the plugin's refusal first, not the engine's wrapper from the error's propagation
        .isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("variable 'response' (type string), sent by an external task"
            + " worker with handleBpmnError");
    // Refused as a whole: the task is still there, locked by the worker.
    assertThat(externalTasks.createExternalTaskQuery().externalTaskId(taskId).singleResult()
        .getWorkerId()).isEqualTo("worker");

    externalTasks.handleBpmnError(taskId, "worker", "LEAK", "rejected key " + S);
    assertThat(runtime.getVariable(pi, "why")).isEqualTo("rejected key ***");

    assertThat(scanDatabase()).isEmpty();
  }

  static List<String> scanDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      return Canary.scanDatabase(c, CANARY.forms(), "PUBLIC");
    }
  }
}
