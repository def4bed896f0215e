package io.secretfetch.camunda.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Flow;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Cockpit ({@code camunda-bpm-spring-boot-starter-webapp}, in the context {@link BootTestApp}
 * shares with the REST test) as its user sees it: logged in through the webapp's own login with
 * its CSRF token, Cockpit's plugin endpoints (process instance lists and counts, a variable filter,
 * called process instances, incidents, definition statistics) and the engine REST API as the
 * webapp proxies it show the reference or {@code ***}, never the value or an encoding of it.
 *
 * <p>Cockpit CE 7.24 has no history plugin endpoints (the history views are Enterprise); its
 * history reads go through the proxied engine API, covered here for a completed instance.
 */
@BootTestApp.Context
class CockpitTest {
  static final Canary CANARY = BootTestApp.CANARY;
  static final String PLUGIN = "/camunda/api/cockpit/plugin/base/default";
  static final String ENGINE = "/camunda/api/engine/engine/default";

  @Autowired ProcessEngine engine;
  @LocalServerPort int port;
  final HttpClient http = HttpClient.newBuilder()
      .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
  /** The webapp's CSRF token for this session, sent with every modifying request. */
  String csrfToken;

  BootTestApp.Instances instances;
  String parent;
  String child;
  String completed;

  @BeforeAll
  void runFlows() {
    instances = BootTestApp.startWaitingAndFailed(engine, "cockpit");
    BootTestApp.deploy(engine, Flow.process("cockpitChild").userTask("wait"));
    BootTestApp.deploy(engine, Flow.process("cockpitParent")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .node("call", "<callActivity id=\"call\" calledElement=\"cockpitChild\">"
            + "<extensionElements><camunda:in source=\"apiKey\" target=\"apiKey\"/>"
            + "</extensionElements></callActivity>"));
    BootTestApp.deploy(engine, Flow.process("cockpitCompleted")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", Consumers.UseApiKey.class));
    RuntimeService runtime = engine.getRuntimeService();
    parent = runtime.startProcessInstanceByKey("cockpitParent").getId();
    child = runtime.createProcessInstanceQuery().superProcessInstanceId(parent).singleResult()
        .getId();
    completed = runtime.startProcessInstanceByKey("cockpitCompleted").getId();
  }

  @Test
  void cockpitShowsTheReferenceOrMaskAndNeverTheValue() throws Exception {
    String w = instances.waiting();
    String f = instances.failed();
    String waitingDefinition = definitionOf(w);
    String parentDefinition = definitionOf(parent);

    // Without a session, Cockpit's endpoints answer nothing.
    assertThat(get(PLUGIN + "/process-instance?processDefinitionId=" + waitingDefinition)
        .statusCode()).isEqualTo(401);
    login();

    Map<String, String> bodies = new LinkedHashMap<>();
    List<String> gets = new ArrayList<>(List.of(
        PLUGIN + "/process-instance?processDefinitionId=" + waitingDefinition,
        PLUGIN + "/process-instance/count?processDefinitionId=" + waitingDefinition,
        PLUGIN + "/process-instance/" + parent + "/called-process-instances",
        PLUGIN + "/process-definition/" + parentDefinition + "/called-process-definitions",
        PLUGIN + "/process-definition/statistics",
        PLUGIN + "/incident?processInstanceIdIn=" + f,
        ENGINE + "/history/process-instance/" + completed,
        ENGINE + "/history/activity-instance?processInstanceId=" + completed,
        ENGINE + "/history/variable-instance?processInstanceId=" + completed
            + "&deserializeValues=true",
        ENGINE + "/history/detail?processInstanceId=" + completed + "&deserializeValues=true",
        ENGINE + "/process-instance/" + child + "/variables?deserializeValues=true"));
    BootTestApp.engineReads(engine, w, f).forEach(path -> gets.add(ENGINE + path));
    for (String path : gets) {
      bodies.put("GET " + path, ok(get(path), path));
    }
    // What Cockpit's pages post: instance lists, incidents, the variables tab.
    Map<String, String> posts = new LinkedHashMap<>();
    posts.put(PLUGIN + "/process-instance",
        "{\"processDefinitionId\":\"" + waitingDefinition + "\"}");
    posts.put(PLUGIN + "/process-instance/count",
        "{\"processDefinitionId\":\"" + waitingDefinition + "\"}");
    posts.put(PLUGIN + "/process-instance/" + parent + "/called-process-instances",
        "{\"activityIdIn\":[\"call\"]}");
    posts.put(PLUGIN + "/incident", "{\"processInstanceIdIn\":[\"" + f + "\"]}");
    posts.put(ENGINE + "/variable-instance?deserializeValues=false",
        "{\"processInstanceIdIn\":[\"" + w + "\",\"" + child + "\"]}");
    posts.put(ENGINE + "/history/variable-instance?deserializeValues=false",
        "{\"processInstanceIdIn\":[\"" + completed + "\"]}");
    for (Map.Entry<String, String> p : posts.entrySet()) {
      bodies.put("POST " + p.getKey(), ok(post(p.getKey(), p.getValue()), p.getKey()));
    }
    // Filtering instances by the plaintext is refused: no oracle for guessing a secret's value.
    HttpResponse<String> byValue = post(PLUGIN + "/process-instance",
        "{\"processDefinitionId\":\"" + waitingDefinition + "\",\"variables\":[{\"name\":"
            + "\"apiKey\",\"operator\":\"eq\",\"value\":" + jsonString(CANARY.value()) + "}]}");
    assertThat(byValue.statusCode()).as(byValue.body()).isEqualTo(500);
    assertThat(byValue.body()).contains("cannot be searched for by value");
    bodies.put("POST variable filter by the value", byValue.body());

    List<String> leaks = new ArrayList<>();
    bodies.forEach((call, body) ->
        CANARY.findIn(body).forEach(form -> leaks.add(call + ": " + form)));
    assertThat(leaks).isEmpty();

    // The answers are about these instances, so the scan above looked at real content.
    assertThat(bodies.get("POST " + PLUGIN + "/process-instance")).contains(w);
    assertThat(bodies.get("GET " + PLUGIN + "/process-instance/" + parent
        + "/called-process-instances")).contains(child);
    assertThat(bodies.get("POST " + PLUGIN + "/incident"))
        .contains("call failed with key ***");
    assertThat(bodies.get("POST " + ENGINE + "/variable-instance?deserializeValues=false"))
        .contains(w).contains(child).contains("\"type\":\"Secret\"");
    assertThat(bodies.get("GET " + ENGINE + "/history/variable-instance?processInstanceId="
        + completed + "&deserializeValues=true")).contains("memory:api-key@1");
    assertThat(bodies.get("GET " + ENGINE + "/process-instance/" + child
        + "/variables?deserializeValues=true")).contains("\"value\":\"***\"");
  }

  String definitionOf(String processInstanceId) {
    return engine.getRuntimeService().createProcessInstanceQuery()
        .processInstanceId(processInstanceId).singleResult().getProcessDefinitionId();
  }

  /** The webapp's login: a GET hands out the session's CSRF token, the login POST sends it. */
  void login() throws Exception {
    get("/camunda/api/admin/auth/user/default");
    assertThat(csrfToken).as("CSRF token handed out").isNotBlank();
    String form = "username=" + BootTestApp.ADMIN + "&password="
        + URLEncoder.encode(BootTestApp.ADMIN_PASSWORD, StandardCharsets.UTF_8);
    HttpResponse<String> login = send(HttpRequest.newBuilder(
            uri("/camunda/api/admin/auth/user/default/login/cockpit"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-XSRF-TOKEN", csrfToken)
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(login.body()).contains("\"userId\":\"" + BootTestApp.ADMIN + "\"");
    get("/camunda/api/admin/auth/user/default");
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Accept", "application/json, text/plain").GET());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .header("X-XSRF-TOKEN", csrfToken)
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    response.headers().firstValue("X-XSRF-TOKEN").ifPresent(token -> csrfToken = token);
    return response;
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  static String ok(HttpResponse<String> response, String path) {
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  static String jsonString(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
        .quoteAsString(s)) + "\"";
  }
}
