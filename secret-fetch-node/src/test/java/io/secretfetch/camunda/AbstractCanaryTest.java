package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Adversaries;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import io.secretfetch.camunda.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.secretfetch.camunda.variable.SecretTypedValue;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

/**
 * The canary: runs flows that touch every path a value could leak through — success, a consumer
 * that throws with the secret in message and cause, retries down to an incident, a BPMN error
 * carrying the secret, asyncBefore/asyncAfter, a timer wait, a call activity, a multi-instance
 * body, secret input mappings and placeholders, the plaintext set as an object, bytes, a file,
 * JSON and base64 text, an external task worker's failures and BPMN error — with one unique secret,
 * then scans every column of every table and every captured log line (engine and plugin loggers at
 * DEBUG) for the secret and its base64, percent and JSON-escaped forms. Expects zero hits.
 */
abstract class AbstractCanaryTest {

  /** A JDBC URL of an empty database, its user and password, and the schema tables land in. */
  protected abstract String jdbcUrl();

  protected abstract String user();

  protected abstract String password();

  protected abstract String schema();

  protected abstract Connection connect() throws Exception;

  @Test
  void noFormOfTheSecretReachesAnyTableOrLogLine() throws Exception {
    Canary canary = new Canary();
    String control = "control-value-" + canary.value().substring(5, 18);
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", canary.value());
    List<String> thrownTraces = new ArrayList<>();
    List<String> logLines;
    try (SecretResolver resolver = SecretResolver.builder().provider(memory).build();
        LogCapture logs = new LogCapture("org.camunda", "io.secretfetch", "org.apache.ibatis")) {
      ProcessEngine engine = startEngine("canary", resolver);
      try {
        runFlows(engine, canary, control, thrownTraces);
      } finally {
        engine.close();
      }
      logLines = logs.lines();
    }

    // The flows really handled the secret...
    assertThat(Consumers.SEEN).contains(canary.value(), "Bearer " + canary.value());
    // use, mapped, placeholder, multi; two child instances
    assertThat(Consumers.SEEN).hasSize(6);
    // ...the failures really were logged and stored, masked...
    assertThat(String.join("\n", logLines)).contains("call failed with key ***")
        // the engine's DEBUG SQL log shows variable values: the log scan would see a leak there
        .contains(control);
    // ...and the scanners really see what is there (the control value is an ordinary variable).
    assertNoForms(canary, control, logLines, thrownTraces, List.of());
  }

  /**
   * What an attacker would try where the variable guard does not look: engine free text (business
   * key, task name and description, comments, incidents, annotations, delete reasons), an Error
   * thrown by a delegate, a decision input, a user logger and the standard streams, character
   * references and UTF-16 of the value.
   */
  @Test
  void adversarialFlowsLeaveNoFormOfTheSecretAnywhere() throws Exception {
    Canary canary = new Canary();
    String control = "control-value-" + canary.value().substring(5, 18);
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", canary.value());
    List<String> thrownTraces = new ArrayList<>();
    List<String> logLines;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (SecretResolver resolver = SecretResolver.builder().provider(memory).build();
        LogCapture logs = new LogCapture("org.camunda", "io.secretfetch", "org.apache.ibatis")) {
      ProcessEngine engine = startEngine("adversarial", resolver);
      try {
        System.out.println("ordinary output: " + control);
        runAdversarialFlows(engine, canary, control, thrownTraces);
      } finally {
        engine.close();
      }
      logLines = logs.lines();
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("ordinary output: " + control).contains("stdout: key=***");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("stderr: key=***");
    assertThat(String.join("\n", logLines)).contains("calling the API with key ***");
    assertNoForms(canary, control, logLines, thrownTraces,
        List.of(printed, err.toString(StandardCharsets.UTF_8)));
  }

  /** An engine with the plugin on this test's database. */
  private ProcessEngine startEngine(String name, SecretResolver resolver) {
    ProcessEngineConfigurationImpl config =
        Engines.config(name + "-" + getClass().getSimpleName(), jdbcUrl());
    config.setJdbcUsername(user());
    config.setJdbcPassword(password());
    config.getProcessEnginePlugins().add(new SecretFetchPlugin(resolver));
    return config.buildProcessEngine();
  }

  private void assertNoForms(Canary canary, String control, List<String> logLines,
      List<String> thrownTraces, List<String> streams) throws Exception {
    Map<String, String> needles = new LinkedHashMap<>(canary.forms());
    needles.put("control", control);
    List<String> dbHits;
    try (Connection c = connect()) {
      dbHits = Canary.scanDatabase(c, needles, schema());
    }
    assertThat(dbHits).as("control value found by the scanner")
        .anyMatch(h -> h.endsWith(": control"));
    assertThat(dbHits.stream().filter(h -> !h.endsWith(": control")))
        .as("secret forms in the database").isEmpty();

    List<String> logHits = new ArrayList<>();
    for (String line : logLines) {
      if (!canary.findIn(line).isEmpty()) {
        logHits.add(canary.findIn(line) + " in: " + line.substring(0, Math.min(300, line.length())));
      }
    }
    assertThat(logHits).as("secret forms in log lines").isEmpty();
    for (String trace : thrownTraces) {
      assertThat(canary.findIn(trace)).as("secret forms in an exception a caller received").isEmpty();
    }
    for (String stream : streams) {
      assertThat(canary.findIn(stream)).as("secret forms on stdout or stderr").isEmpty();
    }
  }

  private void runFlows(ProcessEngine engine, Canary canary, String control,
      List<String> thrownTraces) {
    Consumers.SEEN.clear();
    RuntimeService runtime = engine.getRuntimeService();
    ManagementService management = engine.getManagementService();

    // 1. success, with async continuations, a timer wait, a secret mapping and a placeholder.
    deploy(engine, Flow.process("canarySuccess")
        .fetchWith("fetch", "camunda:asyncBefore=\"true\" camunda:asyncAfter=\"true\"", "",
            "secretName", "canary", "resultVariable", "apiKey")
        .node("timer", "<intermediateCatchEvent id=\"timer\"><timerEventDefinition>"
            + "<timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>")
        .service("use", Consumers.UseApiKey.class)
        .service("mapped", Consumers.UseToken.class, "",
            "<camunda:inputOutput><camunda:inputParameter name=\"token\">${apiKey}"
                + "</camunda:inputParameter></camunda:inputOutput>")
        .service("placeholder", Consumers.UseToken.class, "camunda:asyncBefore=\"true\"",
            "<camunda:inputOutput><camunda:inputParameter name=\"token\">"
                + "Bearer {{secrets.memory:canary}}</camunda:inputParameter></camunda:inputOutput>")
        .service("multi", Consumers.UseApiKey.class, "",
            "")
        .userTask("wait"));
    runtime.startProcessInstanceByKey("canarySuccess", Map.of("ordinary", control));
    drainJobs(management, thrownTraces);

    // 2. a call activity passing the secret variable, and a multi-instance body in the child.
    engine.getRepositoryService().createDeployment()
        .addString("child.bpmn", Flow.process("canaryChild")
            .service("childUse", Consumers.UseApiKey.class,
                "camunda:asyncAfter=\"true\"", "")
            .xml().replace("<serviceTask id=\"childUse\"", "<serviceTask id=\"childUse\"")
            .replace("</serviceTask>", "<multiInstanceLoopCharacteristics isSequential=\"true\">"
                + "<loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics></serviceTask>"))
        .deploy();
    deploy(engine, Flow.process("canaryParent")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("call", "<callActivity id=\"call\" calledElement=\"canaryChild\"><extensionElements>"
            + "<camunda:in source=\"apiKey\" target=\"apiKey\"/></extensionElements></callActivity>"));
    runtime.startProcessInstanceByKey("canaryParent");
    drainJobs(management, thrownTraces);

    // 3. a consumer that throws with the secret in its message and cause: synchronously...
    deploy(engine, Flow.process("canarySyncFailure")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("leak", Consumers.LeakyFailure.class));
    try {
      runtime.startProcessInstanceByKey("canarySyncFailure");
    } catch (RuntimeException e) {
      thrownTraces.add(trace(e));
    }
    assertThat(thrownTraces).isNotEmpty();

    // ...and asynchronously, retried down to an incident.
    deploy(engine, Flow.process("canaryAsyncFailure")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("leak", Consumers.LeakyFailure.class, "camunda:asyncBefore=\"true\"", ""));
    String failing = runtime.startProcessInstanceByKey("canaryAsyncFailure").getId();
    drainJobs(management, thrownTraces);
    assertThat(runtime.createIncidentQuery().processInstanceId(failing).singleResult()
        .getIncidentMessage()).contains("call failed with key ***");
    Job failed = management.createJobQuery().processInstanceId(failing).singleResult();
    assertThat(failed.getRetries()).isZero();
    assertThat(management.getJobExceptionStacktrace(failed.getId()))
        .contains("java.lang.IllegalStateException: call failed with key ***")
        .contains("java.io.IOException: 401 Unauthorized for Authorization: ");

    // 4. a BPMN error whose message carries the secret, caught with errorMessageVariable.
    deploy(engine, Flow.process("canaryBpmnError")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("leak", Consumers.LeakyBpmnError.class)
        .catchError("leak", "LEAK"));
    String caught = runtime.startProcessInstanceByKey("canaryBpmnError").getId();
    assertThat((String) runtime.getVariable(caught, "why")).isEqualTo("rejected key ***");

    // 5. the plaintext as an object, bytes, a file, JSON and base64 text: each refused.
    Consumers.REFUSED.clear();
    deploy(engine, Flow.process("canaryShapes")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("store", Consumers.StoresPlaintextInOtherShapes.class)
        .userTask("wait"));
    runtime.startProcessInstanceByKey("canaryShapes");
    assertThat(Consumers.REFUSED).hasSize(5);

    // 6. an external task worker failing with the secret in message and details, down to an
    // incident, and one throwing a BPMN error with it.
    deploy(engine, Flow.process("canaryExternal")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("call", "<serviceTask id=\"call\" camunda:type=\"external\" camunda:topic=\"call\"/>")
        .catchError("call", "LEAK"));
    ExternalTaskService external = engine.getExternalTaskService();
    String failingTask = runtime.startProcessInstanceByKey("canaryExternal").getId();
    String errorTask = runtime.startProcessInstanceByKey("canaryExternal").getId();
    List<LockedExternalTask> locked = external.fetchAndLock(10, "worker")
        .topic("call", 60_000).variables("apiKey").execute();
    assertThat(locked).hasSize(2);
    for (LockedExternalTask task : locked) {
      String key = ((SecretTypedValue) task.getVariables().getValueTyped("apiKey"))
          .getValue().reveal();
      if (task.getProcessInstanceId().equals(failingTask)) {
        for (int retriesLeft = 1; retriesLeft >= 0; retriesLeft--) {
          external.lock(task.getId(), "worker", 60_000);
          external.handleFailure(task.getId(), "worker", "call failed with key " + key,
              "java.io.IOException: Bearer " + key, retriesLeft, 0);
        }
      } else {
        external.handleBpmnError(task.getId(), "worker", "LEAK", "rejected key " + key);
      }
    }
    assertThat(runtime.createIncidentQuery().processInstanceId(failingTask).singleResult()
        .getIncidentMessage()).isEqualTo("call failed with key ***");
    assertThat((String) runtime.getVariable(errorTask, "why")).isEqualTo("rejected key ***");
  }

  private void runAdversarialFlows(ProcessEngine engine, Canary canary, String control,
      List<String> thrownTraces) {
    RuntimeService runtime = engine.getRuntimeService();
    TaskService tasks = engine.getTaskService();
    HistoryService history = engine.getHistoryService();
    ManagementService management = engine.getManagementService();
    String key = canary.value();
    Adversaries.REFUSED.clear();

    // The secret as a business key, given by an operator: refused, nothing started.
    deploy(engine, Flow.process("advWait")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .userTask("wait"));
    thrownTraces.add(refused(() -> runtime.startProcessInstanceByKey("advWait", "order " + key),
        "the business key of process instance"));

    // A delete reason holding it: masked in history.
    String deleted = runtime.startProcessInstanceByKey("advWait",
        Map.of("ordinary", control)).getId();
    runtime.deleteProcessInstance(deleted, "rotated after " + key + " leaked");
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(deleted)
        .singleResult().getDeleteReason()).isEqualTo("rotated after *** leaked");

    // An expression turning a known secret variable into text: refused at deployment.
    Flow asName = Flow.process("advTaskName")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("named", "<userTask id=\"named\" name=\"${apiKey.reveal()}\"/>");
    try {
      deploy(engine, asName);
      throw new AssertionError("a task named after a secret was deployed");
    } catch (ParseException e) {
      assertThat(e.getMessage()).contains("named");
      thrownTraces.add(trace(e));
    }
    // The same through an indirection no deployment check can follow: the write guard refuses
    // the name at run time and masks the description.
    deploy(engine, Flow.process("advIndirect")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("named", "<userTask id=\"named\" name=\"${execution.getVariable(which)"
            + ".reveal()}\"/>"));
    String taskName = refused(() -> runtime.startProcessInstanceByKey("advIndirect",
        Map.of("which", "apiKey")), "the name of task ");
    assertThat(taskName).contains("at element 'named'");
    thrownTraces.add(taskName);
    deploy(engine, Flow.process("advDescription")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("described", "<userTask id=\"described\"><documentation>key"
            + " ${execution.getVariable(which).reveal()}</documentation></userTask>"));
    String described = runtime.startProcessInstanceByKey("advDescription",
        Map.of("which", "apiKey")).getId();
    assertThat(tasks.createTaskQuery().processInstanceId(described).singleResult()
        .getDescription()).isEqualTo("key ***");

    // Comments, incidents and annotations a delegate writes.
    deploy(engine, Flow.process("advFreeText")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("write", Adversaries.WritesEngineFreeText.class)
        .userTask("wait"));
    String freeText = runtime.startProcessInstanceByKey("advFreeText").getId();
    assertThat(runtime.createIncidentQuery().processInstanceId(freeText).singleResult())
        .satisfies(i -> assertThat(i.getIncidentMessage()).isEqualTo("failed with ***"))
        .satisfies(i -> assertThat(i.getConfiguration()).isEqualTo("cfg ***"))
        .satisfies(i -> assertThat(i.getAnnotation()).isEqualTo("operator note: key ***"));
    assertThat(tasks.getProcessInstanceComments(freeText)).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("called the API with ***"));

    // An Error, not an Exception, from an asynchronous task: retried down to an incident.
    deploy(engine, Flow.process("advError")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("assert", Adversaries.ThrowsAssertionError.class,
            "camunda:asyncBefore=\"true\"", ""));
    String erring = runtime.startProcessInstanceByKey("advError").getId();
    drainJobs(management, thrownTraces);
    Job failedJob = management.createJobQuery().processInstanceId(erring).singleResult();
    assertThat(failedJob.getRetries()).isZero();
    assertThat(management.getJobExceptionStacktrace(failedJob.getId()))
        .contains("java.lang.AssertionError: expected a valid response for key ***");

    // A user logger and the standard streams.
    deploy(engine, Flow.process("advLogs")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("log", Adversaries.LogsAndPrints.class));
    runtime.startProcessInstanceByKey("advLogs");

    // Character references and UTF-16.
    deploy(engine, Flow.process("advEncodings")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .service("encode", Adversaries.EncodesTheKey.class)
        .userTask("wait"));
    String encoded = runtime.startProcessInstanceByKey("advEncodings").getId();
    assertThat(Adversaries.REFUSED).containsExactly("chars");
    assertThat(tasks.getProcessInstanceComments(encoded)).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("<p>***</p>"));

    // A decision fed the plaintext: refused, naming the decision input.
    engine.getRepositoryService().createDeployment()
        .addString("route.dmn", Adversaries.dmn("route")).deploy();
    deploy(engine, Flow.process("advDecision")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("decide", "<businessRuleTask id=\"decide\" camunda:decisionRef=\"route\""
            + " camunda:resultVariable=\"route\" camunda:mapDecisionResult=\"singleEntry\"/>"));
    thrownTraces.add(refused(() -> runtime.startProcessInstanceByKey("advDecision"),
        "decision"));
  }

  /** Runs {@code action}, which must be refused with a message containing {@code mentions}. */
  private static String refused(Runnable action, String mentions) {
    try {
      action.run();
    } catch (SecretFetchException e) {
      assertThat(e.getMessage()).contains(mentions);
      return trace(e);
    }
    throw new AssertionError("expected a refusal mentioning '" + mentions + "'");
  }

  private static void deploy(ProcessEngine engine, Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  /** Executes every job with retries left, by hand, until none is left; keeps what callers see. */
  private static void drainJobs(ManagementService management, List<String> thrownTraces) {
    for (int round = 0; round < 100; round++) {
      List<Job> jobs = management.createJobQuery().withRetriesLeft().list();
      if (jobs.isEmpty()) {
        return;
      }
      for (Job job : jobs) {
        try {
          management.executeJob(job.getId());
        } catch (RuntimeException e) {
          thrownTraces.add(trace(e));
        }
      }
    }
    throw new AssertionError("jobs still executable after 100 rounds");
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
