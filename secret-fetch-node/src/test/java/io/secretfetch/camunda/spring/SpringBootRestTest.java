package io.secretfetch.camunda.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.testing.InMemorySecretProvider;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Flow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The plugin as a Spring Boot bean in the Camunda Spring Boot starter (H2 in memory), with the
 * engine's REST API ({@code camunda-bpm-spring-boot-starter-rest}, Jersey on an embedded Tomcat at
 * a random port): the Secret Fetch task runs, and the variable, history, job and incident endpoints
 * show the reference or {@code ***}, never the value, also with {@code deserializeValues=true}.
 */
@SpringBootTest(
    classes = SpringBootRestTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:sf-spring-boot;DB_CLOSE_DELAY=-1",
      "spring.main.banner-mode=off",
      // provider-platform (a test dependency, for the bundle tests) brings Flyway; Boot must not run it.
      "spring.flyway.enabled=false",
      "camunda.bpm.database.schema-update=true",
      "camunda.bpm.history-level=full",
      "camunda.bpm.job-execution.enabled=false",
      "camunda.bpm.metrics.enabled=false",
      "camunda.bpm.auto-deployment-enabled=false",
      "camunda.bpm.generic-properties.properties.enforce-history-time-to-live=false"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootRestTest {
  static final Canary CANARY = new Canary();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
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
  }

  @Autowired ProcessEngine engine;
  @Autowired SecretFetchPlugin plugin;
  @LocalServerPort int port;
  final HttpClient http = HttpClient.newHttpClient();

  ProcessInstance waiting;
  ProcessInstance failed;

  @BeforeAll
  void runFlows() {
    deploy(Flow.process("fetchAndWait")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .userTask("wait"));
    deploy(Flow.process("fetchAndFail")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("leak", Consumers.LeakyFailure.class, "camunda:asyncBefore=\"true\"", ""));
    waiting = engine.getRuntimeService().startProcessInstanceByKey("fetchAndWait");
    failed = engine.getRuntimeService().startProcessInstanceByKey("fetchAndFail");
    // Drive the failing job down to an incident (default: 3 retries).
    ManagementService management = engine.getManagementService();
    for (int attempt = 0; attempt < 3; attempt++) {
      Job job = management.createJobQuery().processInstanceId(failed.getId()).singleResult();
      assertThatThrownBy(() -> management.executeJob(job.getId()))
          .hasMessageContaining("call failed with key ***");
    }
    assertThat(engine.getRuntimeService().createIncidentQuery()
        .processInstanceId(failed.getId()).count()).isEqualTo(1);
  }

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
  }

  void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  @Test
  void theStarterRunsTheSecretFetchTaskWithThePluginBean() {
    assertThat(plugin.runtime()).as("the starter applied the plugin bean").isNotNull();
    deploy(Flow.process("fetchAndUse")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", Consumers.UseApiKey.class));

    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("fetchAndUse");

    assertThat(Consumers.SEEN).containsExactly(CANARY.value());
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(pi.getId()).singleResult().getState()).isEqualTo("COMPLETED");
  }

  @Test
  void restEndpointsShowTheReferenceAndNeverTheValue() throws Exception {
    String w = waiting.getId();
    String f = failed.getId();
    String variableId = engine.getRuntimeService().createVariableInstanceQuery()
        .processInstanceIdIn(w).variableName("apiKey").singleResult().getId();
    String historicVariableId = engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(w).variableName("apiKey").singleResult().getId();
    Job job = engine.getManagementService().createJobQuery().processInstanceId(f).singleResult();
    Incident incident = engine.getRuntimeService().createIncidentQuery()
        .processInstanceId(f).singleResult();
    String jobLogId = engine.getHistoryService().createHistoricJobLogQuery().jobId(job.getId())
        .failureLog().list().get(0).getId();

    Map<String, String> bodies = new LinkedHashMap<>();
    for (String path : List.of(
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
        "/history/job-log/" + jobLogId + "/stacktrace")) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest" + path))
              .header("Accept", "application/json, text/plain").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
      bodies.put(path, response.body());
    }

    List<String> leaks = new ArrayList<>();
    bodies.forEach((path, body) ->
        CANARY.findIn(body).forEach(form -> leaks.add(path + ": " + form)));
    assertThat(leaks).isEmpty();

    // The variable endpoints do show the secret, as {"ref":"memory:api-key@1","version":"1",
    // "value":"***"} of type Secret, with or without deserializeValues.
    String ref = "memory:api-key@1";
    assertThat(bodies.get("/process-instance/" + w + "/variables/apiKey?deserializeValue=true"))
        .contains("\"type\":\"Secret\"").contains("\"ref\":\"" + ref + "\"")
        .contains("\"value\":\"***\"");
    assertThat(bodies.get("/variable-instance?processInstanceIdIn=" + w + "&deserializeValues=true"))
        .contains(ref);
    assertThat(bodies.get("/history/variable-instance?processInstanceId=" + w
        + "&deserializeValues=true")).contains(ref);
    // Failures name the secret masked.
    assertThat(bodies.get("/job/" + job.getId())).contains("call failed with key ***");
    assertThat(bodies.get("/incident/" + incident.getId())).contains("call failed with key ***");
    assertThat(bodies.get("/job/" + job.getId() + "/stacktrace")).contains("Bearer ***");
  }
}
