package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.sql.Connection;
import java.sql.DriverManager;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write guard over everything the engine flushes, driven through the public API with a
 * resolved secret where no variable is involved: prose is masked and written, identifiers refuse
 * the command and nothing of it is written.
 */
class WriteGuardTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static String jdbcUrl;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static RuntimeService runtime;
  static TaskService tasks;
  static HistoryService history;
  static IdentityService identity;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", S);
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    engine = Engines.withPlugin("write-guard-test", jdbcUrl, resolver);
    runtime = engine.getRuntimeService();
    tasks = engine.getTaskService();
    history = engine.getHistoryService();
    identity = engine.getIdentityService();
    resolver.resolve("memory:canary", SecretContext.forTenant(null)).close();
    Flow flow = Flow.process("wait").userTask("task");
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  @AfterAll
  static void stop() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      assertThat(Canary.scanDatabase(c, CANARY.forms(), "PUBLIC")).isEmpty();
    } finally {
      engine.close();
      resolver.close();
    }
  }

  @Test
  void aBusinessKeyHoldingASecretIsRefusedAndNothingIsWritten() {
    long before = history.createHistoricProcessInstanceQuery().count();
    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("wait", "order-" + S))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageStartingWith("Secret Fetch refused to store the business key of process"
            + " instance ")
        .hasMessageContaining("Nothing was written")
        .satisfies(e -> assertThat(CANARY.findIn(e.getMessage())).isEmpty());
    assertThat(history.createHistoricProcessInstanceQuery().count()).isEqualTo(before);
    assertThat(tasks.createTaskQuery().count()).isEqualTo(
        runtime.createProcessInstanceQuery().count());
  }

  @Test
  void aTaskNameHoldingASecretIsRefusedAndTheOldNameStays() {
    ProcessInstance pi = runtime.startProcessInstanceByKey("wait");
    Task task = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();
    task.setName("call " + S);
    assertThatThrownBy(() -> tasks.saveTask(task))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining("the name of task " + task.getId());
    assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult().getName()).isNull();
  }

  @Test
  void aCommentDeleteReasonAndDescriptionAreMaskedAndWritten() {
    ProcessInstance pi = runtime.startProcessInstanceByKey("wait");
    Task task = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();
    task.setDescription("uses " + S);
    tasks.saveTask(task);
    tasks.createComment(task.getId(), pi.getId(), "the key is " + S + ", keep it");
    assertThat(tasks.getTaskComments(task.getId())).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("the key is ***, keep it"));
    assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult().getDescription())
        .isEqualTo("uses ***");

    runtime.deleteProcessInstance(pi.getId(), "leaked " + S);
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pi.getId())
        .singleResult().getDeleteReason()).isEqualTo("leaked ***");
  }

  @Test
  void anIncidentMessageConfigurationAndAnnotationAreMasked() {
    ProcessInstance pi = runtime.startProcessInstanceByKey("wait");
    Incident incident = runtime.createIncident("custom", pi.getId(), "cfg " + S, "msg " + S);
    runtime.setAnnotationForIncidentById(incident.getId(), "note " + S);
    Incident stored = runtime.createIncidentQuery().incidentId(incident.getId()).singleResult();
    assertThat(stored.getIncidentMessage()).isEqualTo("msg ***");
    assertThat(stored.getConfiguration()).isEqualTo("cfg ***");
    assertThat(stored.getAnnotation()).isEqualTo("note ***");
    assertThat(history.createHistoricIncidentQuery().incidentId(incident.getId()).singleResult()
        .getIncidentMessage()).isEqualTo("msg ***");
  }

  @Test
  void identitiesHoldingASecretAreRefused() {
    assertThatThrownBy(() -> {
      var user = identity.newUser("u" + System.nanoTime());
      user.setEmail(S + "@example.com");
      identity.saveUser(user);
    }).isInstanceOf(SecretFetchException.class).hasMessageContaining("the email of user ");
    assertThat(identity.createUserQuery().list()).isEmpty();
    assertThatThrownBy(() -> {
      var group = identity.newGroup("g" + System.nanoTime());
      group.setName(S);
      identity.saveGroup(group);
    }).isInstanceOf(SecretFetchException.class).hasMessageContaining("the name of group ");
    assertThat(identity.createGroupQuery().list()).isEmpty();
  }

  @Test
  void aCandidateUserHoldingASecretIsRefused() {
    ProcessInstance pi = runtime.startProcessInstanceByKey("wait");
    String task = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId();
    assertThatThrownBy(() -> tasks.addCandidateUser(task, S))
        .isInstanceOf(SecretFetchException.class)
        .hasMessageContaining("identity link");
    assertThat(tasks.getIdentityLinksForTask(task)).isEmpty();
  }

  @Test
  void aVariableNameADeploymentAndAResourceHoldingASecretAreRefused() {
    ProcessInstance pi = runtime.startProcessInstanceByKey("wait");
    assertThatThrownBy(() -> runtime.setVariable(pi.getId(), "key-" + S, "value"))
        .isInstanceOf(SecretFetchException.class)
        .satisfies(e -> assertThat(CANARY.findIn(e.getMessage())).isEmpty());
    assertThat(runtime.getVariables(pi.getId())).isEmpty();
    long deployments = engine.getRepositoryService().createDeploymentQuery().count();
    Flow flow = Flow.process("documented").userTask("task");
    assertThatThrownBy(() -> engine.getRepositoryService().createDeployment().name("release " + S)
        .addString(flow.resourceName(), flow.xml()).deploy())
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("the name of deployment");
    assertThatThrownBy(() -> engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml().replace("<userTask id=\"task\"/>",
            "<userTask id=\"task\"><documentation>token " + S.replace("&", "&amp;")
                .replace("\"", "&quot;") + "</documentation></userTask>")).deploy())
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("resource");
    assertThat(engine.getRepositoryService().createDeploymentQuery().count())
        .isEqualTo(deployments);
  }
}
