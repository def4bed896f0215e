package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Canary;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A secret where the engine wants text (a task's name or assignee, a due date, a timer, a called
 * element, a condition, a message name, ...): refused at deployment when the variable is known to
 * be a secret, and otherwise, at run time, a {@link SecretFetchException} naming the element, what
 * the engine wanted there and the fix, instead of a bare ClassCastException or a type error.
 */
class SecretAsTextTest {
  static final Canary CANARY = new Canary();
  static final String S = CANARY.value();
  static SecretResolver resolver;
  static ProcessEngine engine;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("canary", S);
    resolver = SecretResolver.builder().provider(memory).build();
    engine = Engines.withPlugin("secret-as-text", Engines.newH2Url(), resolver);
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  static void deploy(String xml, String name) {
    engine.getRepositoryService().createDeployment().addString(name + ".bpmn", xml).deploy();
  }

  static String fetching(String id, String node) {
    return Flow.process(id).fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("n", node).xml();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "name|<userTask id='n' name='${apiKey}'/>|the name (attribute 'name')",
      "assignee|<userTask id='n' camunda:assignee='${apiKey.reveal()}'/>|the assignee (attribute"
          + " 'assignee')",
      "candidates|<userTask id='n' camunda:candidateUsers='a,${apiKey}'/>|the candidate users",
      "dueDate|<userTask id='n' camunda:dueDate='${apiKey}'/>|the due date (attribute 'dueDate')",
      "timer|<intermediateCatchEvent id='n'><timerEventDefinition id='t'><timeDuration>${apiKey}"
          + "</timeDuration></timerEventDefinition></intermediateCatchEvent>|the timer's duration"
          + " (<timeDuration>)",
      "calledElement|<callActivity id='n' calledElement='${apiKey}'/>|the called element",
      "businessKey|<callActivity id='n' calledElement='x'><extensionElements><camunda:in"
          + " businessKey='${apiKey}'/></extensionElements></callActivity>|the business key"})
  void aKnownSecretVariableWhereTheEngineWantsTextIsRefusedAtDeployment(String id, String node,
      String what) {
    Throwable t = catchThrowable(() -> deploy(fetching("deploy" + id, node.replace('\'', '"')),
        "deploy" + id));
    assertThat(t).isInstanceOf(ParseException.class)
        .hasMessageContaining("Element 'n': " + what)
        .hasMessageContaining("which uses a secret variable (secret variables of this process:"
            + " [apiKey])")
        .hasMessageContaining("Secrets cannot become text in the engine: pass the secret to a"
            + " secret input or a delegate and use it there.");
  }

  @Test
  void aBareSecretAsAConditionIsRefusedButAConditionOnAFactAboutItIsNot() {
    String condition = Flow.process("condition")
        .fetch("fetch", "secretName", "canary", "resultVariable", "apiKey")
        .node("gw", "<exclusiveGateway id=\"gw\" default=\"other\"/>")
        .xml().replace("<sequenceFlow id=\"f2\" sourceRef=\"gw\" targetRef=\"end\"/>",
            "<sequenceFlow id=\"bare\" sourceRef=\"gw\" targetRef=\"end\">"
                + "<conditionExpression>${apiKey}</conditionExpression></sequenceFlow>"
                + "<sequenceFlow id=\"other\" sourceRef=\"gw\" targetRef=\"end\"/>");
    assertThat(catchThrowable(() -> deploy(condition, "condition")))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("Element 'bare': the condition (<conditionExpression>) is"
            + " '${apiKey}'");
    String fact = condition.replace("${apiKey}", "${apiKey != null}");
    assertThatCode(() -> deploy(fact, "fact")).doesNotThrowAnyException();
  }

  /** Variables handed in from outside are not known at deployment: the run time names them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "name|<userTask id='n' name='${apiKey}'/>|Element 'n': the expression '${apiKey}' yields a"
          + " secret, but the engine needs a plain value there: the name (attribute 'name')",
      "named|<userTask id='n' name='Check' camunda:assignee='${apiKey}'/>|Element 'n' ('Check'):"
          + " the expression '${apiKey}' yields a secret, but the engine needs a plain value there:"
          + " the assignee (attribute 'assignee')",
      "dueDate|<userTask id='n' camunda:dueDate='${apiKey}'/>|the due date (attribute 'dueDate')",
      "candidates|<userTask id='n' camunda:candidateGroups='${apiKey}'/>|the candidate groups",
      "priority|<userTask id='n' camunda:priority='${apiKey}'/>|the priority",
      "timer|<intermediateCatchEvent id='n'><timerEventDefinition><timeDate>${apiKey}</timeDate>"
          + "</timerEventDefinition></intermediateCatchEvent>|the timer's date (<timeDate>)",
      "calledElement|<callActivity id='n' calledElement='${apiKey}'/>|the called element"
          + " (attribute 'calledElement')",
      "condition|<exclusiveGateway id='n' default='other'/>|Element 'toEnd': the expression"
          + " '${apiKey}' yields a"
          + " secret, but the engine needs a plain value there: the condition"})
  void aSecretHandedInWhereTheEngineWantsTextFailsNamingTheElementAndTheFix(String id,
      String node, String expected) {
    Flow flow = Flow.process("run" + id).node("n", node.replace('\'', '"'));
    String xml = flow.xml();
    if (id.equals("condition")) {
      xml = xml.replace("<sequenceFlow id=\"f1\" sourceRef=\"n\" targetRef=\"end\"/>",
          "<sequenceFlow id=\"toEnd\" sourceRef=\"n\" targetRef=\"end\">"
              + "<conditionExpression>${apiKey}</conditionExpression></sequenceFlow>"
              + "<sequenceFlow id=\"other\" sourceRef=\"n\" targetRef=\"end\"/>");
    }
    deploy(xml, "run" + id);
    try (SecretValue key = resolver.resolve("memory:canary", SecretContext.system())) {
      Throwable t = catchThrowable(() -> engine.getRuntimeService()
          .startProcessInstanceByKey("run" + id, Map.of("apiKey", key)));
      assertThat(t).isInstanceOf(SecretFetchException.class)
          .hasMessageContaining(expected)
          .hasMessageEndingWith("Secrets cannot become text in the engine: pass the secret to a"
              + " secret input or a delegate and use it there.");
      assertThat(CANARY.findIn(stackTrace(t))).isEmpty();
    }
  }

  /** In a job the same message becomes the job's failure and, after the retries, the incident. */
  @Test
  void anAsyncJobFailsWithThePluginsMessageAndItBecomesTheIncident() {
    deploy(Flow.process("asyncName")
        .node("n", "<userTask id=\"n\" name=\"${apiKey}\" camunda:asyncBefore=\"true\"/>")
        .xml(), "asyncName");
    try (SecretValue key = resolver.resolve("memory:canary", SecretContext.system())) {
      String pi = engine.getRuntimeService()
          .startProcessInstanceByKey("asyncName", Map.of("apiKey", key)).getId();
      var management = engine.getManagementService();
      String job = management.createJobQuery().processInstanceId(pi).singleResult().getId();
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThat(catchThrowable(() -> management.executeJob(job)))
            .isInstanceOf(SecretFetchException.class);
      }
      String expected = "Element 'n': the expression '${apiKey}' yields a secret, but the engine"
          + " needs a plain value there: the name (attribute 'name')";
      assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(pi)
          .singleResult().getIncidentMessage()).startsWith(expected);
      assertThat(management.getJobExceptionStacktrace(job))
          .startsWith(SecretFetchException.class.getName() + ": " + expected);
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
