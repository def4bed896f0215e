package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import io.secretfetch.camunda.testing.Leakers;
import io.secretfetch.camunda.testing.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refusal names what was refused in Camunda's terms (a decision's input or output, a worker's
 * variable, a delegate's variable) with a remedy that applies there, and reaches the caller first
 * even when it happens deep inside an engine operation that wraps or swallows it.
 */
class RefusalMessagesTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static String jdbcUrl;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static LogCapture logs;

  static final String FETCH = "<serviceTask id=\"fetch\" camunda:class=\""
      + SecretFetchDelegate.CLASS_NAME + "\"><extensionElements>"
      + "<camunda:field name=\"secretName\" stringValue=\"canary\"/>"
      + "<camunda:field name=\"resultVariable\" stringValue=\"apiKey\"/>"
      + "</extensionElements></serviceTask>";

  @BeforeAll
  static void start() {
    logs = new LogCapture("org.camunda");
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", S);
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    ProcessEngineConfigurationImpl c = Engines.config("refusal-messages", jdbcUrl);
    c.setBeans(Map.of("leaker", new Leakers.Bean()));
    c.getProcessEnginePlugins().add(new SecretFetchPlugin(resolver));
    engine = c.buildProcessEngine();
    engine.getRepositoryService().createDeployment()
        .addString("decisions.dmn", decisions())
        .addString("decideInput.bpmn", Flow.process("decideInput")
            .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
            .node("decide", "<businessRuleTask id=\"decide\" name=\"Check the key\""
                + " camunda:decisionRef=\"inputIsSecret\" camunda:resultVariable=\"ok\""
                + " camunda:mapDecisionResult=\"singleEntry\"/>").xml())
        .addString("decideOutput.bpmn", Flow.process("decideOutput")
            .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
            .node("decide", "<businessRuleTask id=\"decide\" camunda:decisionRef=\"outputIsSecret\""
                + " camunda:resultVariable=\"ok\" camunda:mapDecisionResult=\"singleEntry\"/>")
            .xml())
        .addString("worker.bpmn", Flow.process("worker")
            .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
            .node("call",
                "<serviceTask id=\"call\" camunda:type=\"external\" camunda:topic=\"t\"/>")
            .catchError("call", "REJECTED").xml())
        .addString("expressionListener.bpmn", Flow.process("expressionListener")
            .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
            .node("wait", "<userTask id=\"wait\" name=\"Wait here\"><extensionElements>"
                + "<camunda:executionListener event=\"start\""
                + " expression=\"${leaker.copy(execution)}\"/></extensionElements></userTask>")
            .xml())
        .addString("callee.bpmn", Flow.process("callee")
            .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
            .service("fail", Leakers.TransientThenBpmnError.class).xml())
        .addString("caller.bpmn", Flow.process("caller")
            .node("callIt", "<callActivity id=\"callIt\" name=\"Call it\" calledElement=\"callee\">"
                + "<extensionElements><camunda:out variables=\"all\"/></extensionElements>"
                + "</callActivity>")
            .catchError("callIt", "FAIL").xml())
        .deploy();
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
    logs.close();
  }

  @Test
  void aSecretAsADecisionInputIsRefusedAsADecisionInputWithARemedyForDecisions() {
    Throwable t = catchThrowable(
        () -> engine.getRuntimeService().startProcessInstanceByKey("decideInput"));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("input 'Key' (keyInput) of a decision in activity 'decide'"
            + " ('Check the key') is a secret value")
        .hasMessageContaining("do not pass a secret to a decision")
        .hasMessageNotContaining("variable");
    assertClean(t);
  }

  @Test
  void aSecretAsADecisionOutputIsRefusedAsADecisionOutput() {
    Throwable t = catchThrowable(
        () -> engine.getRuntimeService().startProcessInstanceByKey("decideOutput"));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith(
            "output 'ok' (out) of a decision in activity 'decide' is a secret value")
        .hasMessageContaining("a decision must not return a secret");
    assertClean(t);
  }

  @Test
  void aWorkersVariableIsNamedAsSentByTheWorker() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("worker").getId();
    ExternalTaskService tasks = engine.getExternalTaskService();
    String id = tasks.createExternalTaskQuery().processInstanceId(pi).singleResult().getId();
    tasks.lock(id, "worker", 60_000);
    Throwable t = catchThrowable(() -> tasks.complete(id, "worker", Map.of("result", S)));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("variable 'result' (type string), sent by an external task worker"
            + " with complete, would store a secret value as plain text")
        .hasMessageContaining("a worker keeps the secrets it resolves");
    assertClean(t);
  }

  /**
   * BPMN error propagation: a worker's error with variables, caught by a boundary event with an
   * errorMessageVariable. The engine reports a failure there as "ENGINE-13033 Propagation of bpmn
   * error ... failed" with the refusal as its cause; the caller gets the refusal.
   */
  @Test
  void aRefusalDuringAWorkersBpmnErrorPropagationReachesTheCallerFirst() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("worker").getId();
    ExternalTaskService tasks = engine.getExternalTaskService();
    String id = tasks.createExternalTaskQuery().processInstanceId(pi).singleResult().getId();
    tasks.lock(id, "worker", 60_000);
    Throwable t = catchThrowable(() -> tasks.handleBpmnError(id, "worker", "REJECTED",
        "the service said no", Map.of("details", "key " + S)));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("variable 'details' (type string), sent by an external task"
            + " worker with handleBpmnError, would store a secret value as plain text");
    assertThat(t.getSuppressed()).singleElement().satisfies(s -> assertThat(s)
        .hasMessageContaining("ENGINE-13033 Propagation of bpmn error REJECTED failed"));
    assertClean(t);
  }

  /** JUEL wraps what an expression's method throws; the caller still gets the plugin's refusal. */
  @Test
  void aRefusalInsideAnExpressionListenerReachesTheCallerFirst() {
    Throwable t = catchThrowable(
        () -> engine.getRuntimeService().startProcessInstanceByKey("expressionListener"));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("variable 'copy' (type string) would store a secret value as"
            + " plain text in activity 'wait' ('Wait here')");
    assertThat(t.getSuppressed()).singleElement().satisfies(s -> assertThat(s)
        .hasMessageStartingWith("the engine reported this as: "));
    assertClean(t);
  }

  /**
   * While a BPMN error propagates out of a called process, the call activity's output mapping
   * copies a plaintext into the caller: the refusal, not the BPMN error, reaches the caller.
   */
  @Test
  void aRefusalDuringBpmnErrorPropagationReachesTheCallerFirst() {
    Throwable t = catchThrowable(
        () -> engine.getRuntimeService().startProcessInstanceByKey("caller"));
    assertThat(t).isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("variable 'scratch' (type string) would store a secret value");
    assertClean(t);
  }

  static void assertClean(Throwable t) {
    assertThat(CANARY.findIn(stackTrace(t))).isEmpty();
    assertThat(logs.lines()).allSatisfy(l -> assertThat(CANARY.findIn(l)).isEmpty());
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      assertThat(Canary.scanDatabase(c, CANARY.forms(), "PUBLIC")).isEmpty();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  static String decisions() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" id=\"d\" name=\"d\""
        + " namespace=\"http://secretfetch.io/test\">"
        + table("inputIsSecret", "<input id=\"keyInput\" label=\"Key\"><inputExpression id=\"ie1\""
            + " typeRef=\"string\" expressionLanguage=\"juel\"><text>${apiKey.reveal()}</text>"
            + "</inputExpression></input><output id=\"ok\" name=\"ok\" typeRef=\"boolean\"/>",
            "<text>true</text>")
        + table("outputIsSecret", "<input id=\"anyInput\" label=\"Any\"><inputExpression"
            + " id=\"ie2\" typeRef=\"string\"><text>\"x\"</text></inputExpression></input>"
            + "<output id=\"out\" name=\"ok\" typeRef=\"string\"/>",
            "<text>${apiKey.reveal()}</text>")
        + "</definitions>";
  }

  static String table(String id, String columns, String outputEntry) {
    return "<decision id=\"" + id + "\" name=\"" + id + "\"><decisionTable id=\"t" + id + "\">"
        + columns + "<rule id=\"r" + id + "\"><inputEntry id=\"in" + id + "\"><text>-</text>"
        + "</inputEntry><outputEntry id=\"out" + id + "\" expressionLanguage=\"juel\">"
        + outputEntry.replace("<text>true</text>", "<text>${true}</text>") + "</outputEntry>"
        + "</rule></decisionTable></decision>";
  }
}
