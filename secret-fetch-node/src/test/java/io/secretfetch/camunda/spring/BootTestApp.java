package io.secretfetch.camunda.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Flow;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * The application of the Spring Boot tests: the Camunda starter (H2 in memory) with the plugin as
 * a bean, the engine's REST API at {@code /engine-rest} and the webapps (Cockpit, its plugin
 * endpoints and its engine proxy) at {@code /camunda}, on an embedded Tomcat at a random port. Test
 * classes annotated {@link Context} share one application context (Spring caches it), so the
 * webapp starts once; their processes use distinct keys.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BootTestApp {
  static final Canary CANARY = new Canary();
  /** The webapp user Spring Boot creates ({@code camunda.bpm.admin-user}). */
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "admin-pw-test-only";

  @Bean
  SecretResolver secretResolver() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("api-key", CANARY.value());
    return SecretResolver.builder().provider(memory).build();
  }

  /** What a user declares: the starter adds every ProcessEnginePlugin bean to its engine. */
  @Bean
  SecretFetchPlugin secretFetchPlugin(SecretResolver secretResolver) {
    return new SecretFetchPlugin(secretResolver).defaultProvider("memory");
  }

  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @SpringBootTest(
      classes = BootTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.datasource.url=jdbc:h2:mem:sf-spring-boot;DB_CLOSE_DELAY=-1",
        "spring.main.banner-mode=off",
        // provider-platform (a test dependency, for the bundle tests) brings Flyway: not for Boot
        "spring.flyway.enabled=false",
        "camunda.bpm.database.schema-update=true",
        "camunda.bpm.history-level=full",
        "camunda.bpm.job-execution.enabled=false",
        "camunda.bpm.metrics.enabled=false",
        "camunda.bpm.auto-deployment-enabled=false",
        "camunda.bpm.generic-properties.properties.enforce-history-time-to-live=false",
        "camunda.bpm.admin-user.id=" + ADMIN,
        "camunda.bpm.admin-user.password=" + ADMIN_PASSWORD
      })
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @interface Context {}

  /** A process instance waiting with a secret variable, and one whose consumer failed. */
  record Instances(String waiting, String failed) {}

  /**
   * Starts, under process keys starting with {@code prefix}, an instance that fetches the secret
   * and waits in a user task, and one whose asynchronous consumer throws the secret (in message
   * and cause), driven down to an incident (3 retries).
   */
  static Instances startWaitingAndFailed(ProcessEngine engine, String prefix) {
    deploy(engine, Flow.process(prefix + "FetchAndWait")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .userTask("wait"));
    deploy(engine, Flow.process(prefix + "FetchAndFail")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("leak", Consumers.LeakyFailure.class, "camunda:asyncBefore=\"true\"", ""));
    RuntimeService runtime = engine.getRuntimeService();
    String waiting = runtime.startProcessInstanceByKey(prefix + "FetchAndWait").getId();
    String failed = runtime.startProcessInstanceByKey(prefix + "FetchAndFail").getId();
    ManagementService management = engine.getManagementService();
    for (int attempt = 0; attempt < 3; attempt++) {
      Job job = management.createJobQuery().processInstanceId(failed).singleResult();
      assertThatThrownBy(() -> management.executeJob(job.getId()))
          .hasMessageContaining("call failed with key ***");
    }
    assertThat(runtime.createIncidentQuery().processInstanceId(failed).count()).isEqualTo(1);
    return new Instances(waiting, failed);
  }

  static void deploy(ProcessEngine engine, Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  /**
   * The engine REST reads that show a process instance's variables, jobs and incidents, relative
   * to the engine's REST root: for {@code waiting} (a secret variable, waiting in a user task) and
   * {@code failed} (its secret's consumer failed down to an incident).
   */
  static List<String> engineReads(ProcessEngine engine, String waiting, String failed) {
    String variableId = engine.getRuntimeService().createVariableInstanceQuery()
        .processInstanceIdIn(waiting).variableName("apiKey").singleResult().getId();
    String historicVariableId = engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(waiting).variableName("apiKey").singleResult().getId();
    Job job = engine.getManagementService().createJobQuery().processInstanceId(failed)
        .singleResult();
    Incident incident = engine.getRuntimeService().createIncidentQuery()
        .processInstanceId(failed).singleResult();
    String jobLogId = engine.getHistoryService().createHistoricJobLogQuery().jobId(job.getId())
        .failureLog().list().get(0).getId();
    String w = waiting;
    String f = failed;
    return List.of(
        "/variable-instance?processInstanceIdIn=" + w,
        "/variable-instance?processInstanceIdIn=" + w + "&deserializeValues=true",
        "/variable-instance/" + variableId,
        "/variable-instance/" + variableId + "?deserializeValue=true",
        "/process-instance/" + w + "/variables",
        "/process-instance/" + w + "/variables?deserializeValues=true",
        "/process-instance/" + w + "/variables/apiKey",
        "/process-instance/" + w + "/variables/apiKey?deserializeValue=true",
        "/process-instance/" + f + "/variables?deserializeValues=true",
        "/execution/" + w + "/localVariables?deserializeValues=true",
        "/history/variable-instance?processInstanceId=" + w,
        "/history/variable-instance?processInstanceId=" + w + "&deserializeValues=true",
        "/history/variable-instance/" + historicVariableId + "?deserializeValue=true",
        "/history/detail?processInstanceId=" + w + "&deserializeValues=true",
        "/history/detail?processInstanceId=" + f + "&deserializeValues=true",
        "/job?processInstanceId=" + f,
        "/job/" + job.getId(),
        "/job/" + job.getId() + "/stacktrace",
        "/incident?processInstanceId=" + f,
        "/incident/" + incident.getId(),
        "/history/incident?processInstanceId=" + f,
        "/history/job-log?processInstanceId=" + f,
        "/history/job-log/" + jobLogId + "/stacktrace");
  }
}
