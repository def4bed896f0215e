package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import io.secretfetch.camunda.testing.LogCapture;
import io.secretfetch.camunda.testing.Throwers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricIncident;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Error}s thrown by user code — delegates, listeners, expressions — are sanitized like
 * exceptions: what the caller receives (still an Error, of the same JDK type), the job's exception
 * message and stack trace, the incident, the job log and the engine's log lines. Scripts are not
 * covered here: no script engine (Groovy, GraalJS) is on this module's test class path, and JDK 17
 * has none of its own.
 */
class ThrownErrorsTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static String jdbcUrl;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = new LogCapture("org.camunda");
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", S);
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    ProcessEngineConfigurationImpl c = Engines.config("errors-test", jdbcUrl);
    c.setBeans(Map.of("thrower", new Throwers.Bean()));
    c.getProcessEnginePlugins().add(new SecretFetchPlugin(resolver));
    engine = c.buildProcessEngine();
    for (Class<?> delegate : List.of(Throwers.Asserts.class, Throwers.Overflows.class,
        Throwers.FailsInitializer.class, Throwers.ThrowsOwnError.class)) {
      deploy(Flow.process("sync" + delegate.getSimpleName())
          .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
          .service("fail", delegate));
    }
    deploy(Flow.process("async")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("fail", Throwers.Asserts.class, "camunda:asyncBefore=\"true\"", ""));
    deploy(Flow.process("listener")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("wait", "<userTask id=\"wait\"><extensionElements><camunda:executionListener"
            + " event=\"start\" class=\"" + Throwers.AssertingListener.class.getName() + "\"/>"
            + "</extensionElements></userTask>"));
    deploy(Flow.process("expression")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("call", "<serviceTask id=\"call\" camunda:expression=\"${thrower.fail(apiKey)}\"/>"));
    deploy(Flow.process("rejects")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("call", "<serviceTask id=\"call\" camunda:expression=\"${thrower.reject(apiKey)}\"/>")
        .catchError("call", "REJECTED"));
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
    logs.close();
  }

  static void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  static Throwable start(String key) {
    return catchThrowable(() -> engine.getRuntimeService().startProcessInstanceByKey(key));
  }

  @Test
  void anAssertionErrorReachesTheCallerAsAnAssertionErrorWithTheSecretMasked() {
    Throwable t = start("syncAsserts");
    assertThat(t).isExactlyInstanceOf(AssertionError.class)
        .hasMessage("expected a valid key but got ***");
    assertClean(t);
  }

  @Test
  void aStackOverflowErrorStaysAStackOverflowError() {
    Throwable t = start("syncOverflows");
    assertThat(t).isExactlyInstanceOf(StackOverflowError.class).hasMessage("recursing on ***");
    assertClean(t);
  }

  @Test
  void anExceptionInInitializerErrorKeepsItsCauseMasked() {
    Throwable t = start("syncFailsInitializer");
    assertThat(t).isExactlyInstanceOf(ExceptionInInitializerError.class);
    assertThat(t.getCause()).hasMessage("cannot initialise with key ***");
    assertThat(t.getCause().toString()).startsWith(IllegalStateException.class.getName());
    assertClean(t);
  }

  @Test
  void anApplicationsOwnErrorStaysAnErrorThatPrintsItsClassName() {
    Throwable t = start("syncThrowsOwnError");
    assertThat(t).isInstanceOf(Error.class).hasMessage("app error for ***");
    assertThat(t.toString()).isEqualTo(Throwers.AppError.class.getName() + ": app error for ***");
    assertClean(t);
  }

  @Test
  void anErrorFromAListenerIsSanitized() {
    Throwable t = start("listener");
    assertThat(t).isExactlyInstanceOf(AssertionError.class).hasMessage("listener saw ***");
    assertClean(t);
  }

  @Test
  void anErrorFromAnExpressionIsSanitized() {
    Throwable t = start("expression");
    assertThat(t).isNotNull();
    assertThat(stackTrace(t)).contains("expression got ***");
    assertClean(t);
  }

  /**
   * JUEL wraps a BpmnError thrown by an expression's method; masking its message must keep it a
   * BpmnError below the wrapper, or the boundary event would no longer catch it.
   */
  @Test
  void aBpmnErrorWrappedByJuelIsStillCaughtAfterItsMessageIsMasked() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("rejects").getId();
    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(pi).singleResult()
        .getTaskDefinitionKey()).isEqualTo("handle");
    assertThat(engine.getRuntimeService().getVariable(pi, "why")).isEqualTo("rejected ***");
  }

  /**
   * A job failing with an Error takes the engine's ordinary failure path (ExecuteJobHelper, which
   * the job executor uses too): retries are decremented, and the last failure creates an incident.
   * None of its records holds the secret.
   */
  @Test
  void aJobFailingWithAnErrorIsRetriedThenAnIncidentWithTheSecretMasked() throws Exception {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("async").getId();
    ManagementService management = engine.getManagementService();
    Job job = management.createJobQuery().processInstanceId(pi).singleResult();
    List<Throwable> received = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      received.add(catchThrowable(() -> management.executeJob(job.getId())));
    }
    assertThat(received).allSatisfy(t -> {
      assertThat(t).isNotNull();
      assertThat(stackTrace(t)).contains("expected a valid key but got ***");
      assertClean(t);
    });

    Job failed = management.createJobQuery().jobId(job.getId()).singleResult();
    assertThat(failed.getRetries()).isZero();
    assertThat(failed.getExceptionMessage()).isEqualTo("expected a valid key but got ***");
    String stack = management.getJobExceptionStacktrace(job.getId());
    assertThat(stack)
        .startsWith(AssertionError.class.getName() + ": expected a valid key but got ***");
    assertThat(CANARY.findIn(stack)).isEmpty();

    Incident incident = engine.getRuntimeService().createIncidentQuery().processInstanceId(pi)
        .singleResult();
    assertThat(incident.getIncidentMessage()).isEqualTo("expected a valid key but got ***");
    HistoricIncident historic = engine.getHistoryService().createHistoricIncidentQuery()
        .processInstanceId(pi).singleResult();
    assertThat(historic.getIncidentMessage()).isEqualTo("expected a valid key but got ***");
    for (HistoricJobLog log : engine.getHistoryService().createHistoricJobLogQuery()
        .jobId(job.getId()).failureLog().list()) {
      assertThat(log.getJobExceptionMessage()).isEqualTo("expected a valid key but got ***");
      assertThat(CANARY.findIn(engine.getHistoryService()
          .getHistoricJobLogExceptionStacktrace(log.getId()))).isEmpty();
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      assertThat(Canary.scanDatabase(c, CANARY.forms(), "PUBLIC")).isEmpty();
    }
    assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("ENGINE-16004"));
    assertThat(logs.lines()).allSatisfy(l -> assertThat(CANARY.findIn(l)).isEmpty());
  }

  static void assertClean(Throwable t) {
    assertThat(CANARY.findIn(stackTrace(t))).as("secret forms in what the caller received")
        .isEmpty();
    assertThat(logs.lines()).allSatisfy(l -> assertThat(CANARY.findIn(l)).isEmpty());
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
