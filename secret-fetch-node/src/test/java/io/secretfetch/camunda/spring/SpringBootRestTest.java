package io.secretfetch.camunda.spring;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The plugin as a Spring Boot bean in the Camunda Spring Boot starter ({@link BootTestApp}), with
 * the engine's REST API ({@code camunda-bpm-spring-boot-starter-rest}): the Secret Fetch task runs,
 * and the variable, history, job and incident endpoints show the reference or {@code ***}, never
 * the value, also with {@code deserializeValues=true}.
 */
@BootTestApp.Context
class SpringBootRestTest {
  static final Canary CANARY = BootTestApp.CANARY;

  @Autowired ProcessEngine engine;
  @Autowired SecretFetchPlugin plugin;
  @LocalServerPort int port;
  final HttpClient http = HttpClient.newHttpClient();

  BootTestApp.Instances instances;

  @BeforeAll
  void runFlows() {
    instances = BootTestApp.startWaitingAndFailed(engine, "rest");
  }

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
  }

  void deploy(Flow flow) {
    BootTestApp.deploy(engine, flow);
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
    String w = instances.waiting();
    String f = instances.failed();
    String jobId = engine.getManagementService().createJobQuery().processInstanceId(f)
        .singleResult().getId();
    String incidentId = engine.getRuntimeService().createIncidentQuery()
        .processInstanceId(f).singleResult().getId();

    Map<String, String> bodies = new LinkedHashMap<>();
    for (String path : BootTestApp.engineReads(engine, w, f)) {
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
    assertThat(bodies.get("/job/" + jobId)).contains("call failed with key ***");
    assertThat(bodies.get("/incident/" + incidentId)).contains("call failed with key ***");
    assertThat(bodies.get("/job/" + jobId + "/stacktrace")).contains("Bearer ***");
  }
}
