package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploy-time rules, the pre-run check, and that old deployments keep loading. */
class DeployTimeChecksTest {
  static final String FETCH_KEY = "secretName";
  static InMemorySecretProvider memory;
  static SecretResolver resolver;
  static ProcessEngine engine;
  static String jdbcUrl;

  @BeforeAll
  static void start() {
    memory = new InMemorySecretProvider("memory");
    memory.put("api-key", "sk-deploy-check-0b3e");
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    engine = Engines.withPlugin("checks", jdbcUrl, new SecretFetchPlugin(resolver)
        .templateSecretInputs("io.example.CallApi", java.util.Set.of("authorization")));
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  static void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  static Flow fetching(String id) {
    return Flow.process(id).fetch("fetchKey", FETCH_KEY, "api-key", "resultVariable", "apiKey");
  }

  static String input(String name, String body) {
    return "<camunda:inputOutput><camunda:inputParameter name=\"" + name + "\">" + body
        + "</camunda:inputParameter></camunda:inputOutput>";
  }

  @Test
  void literalInASecretInputIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> deploy(fetching("literal")
            .service("use", Consumers.UseToken.class, "", input("token", "sk-pasted-by-mistake"))))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("Element 'use', secret input 'token' holds a literal value: do not"
            + " put secret values in flow definitions")
        .hasMessageNotContaining("sk-pasted-by-mistake");
  }

  @Test
  void secretInputFedByANonSecretVariableIsRefused() {
    assertThatThrownBy(() -> deploy(fetching("nonsecret")
            .service("use", Consumers.UseToken.class, "", input("token", "${someString}"))))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("secret input 'token' is fed by an expression that is not a secret"
            + " variable")
        .hasMessageContaining("[apiKey]");
  }

  @Test
  void secretVariableInANonSecretInputOrOutputIsRefused() {
    assertThatThrownBy(() -> deploy(fetching("intoplain")
            .service("use", Consumers.UseApiKey.class, "",
                "<camunda:inputOutput><camunda:inputParameter name=\"header\">Bearer ${apiKey.reveal()}"
                    + "</camunda:inputParameter><camunda:outputParameter name=\"out\">${apiKey}"
                    + "</camunda:outputParameter></camunda:inputOutput>")))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("2 problems")
        .hasMessageContaining("Element 'use', input 'header' uses a secret variable but is not a"
            + " secret input")
        .hasMessageContaining("Element 'use', output 'out' uses a secret variable");
  }

  @Test
  void secretFetchTaskRulesAreCheckedTogether() {
    Flow flow = Flow.process("badfetch")
        .fetchWith("fetchKey", "",
            "<camunda:inputOutput><camunda:outputParameter name=\"plain\">${apiKey}"
                + "</camunda:outputParameter></camunda:inputOutput>",
            "resultVariable", "apiKey", "outputFormat", "yaml");
    assertThatThrownBy(() -> deploy(flow))
        .isInstanceOfSatisfying(ParseException.class, e ->
            assertThat(e.getResorceReports().get(0).getErrors().get(0).getMainElementId())
                .isEqualTo("fetchKey"))
        .hasMessageContaining("Secret Fetch task 'fetchKey' has no 'secretName'")
        .hasMessageContaining("has outputFormat 'yaml'. Use 'raw' or 'json'")
        .hasMessageContaining("has output parameter 'plain'");
  }

  @Test
  void secretMappingsPlaceholdersTemplatesAndPropertiesAreAccepted() {
    deploy(fetching("good")
        .service("mapped", Consumers.UseToken.class, "", input("token", "${apiKey}"))
        .service("placeholder", Consumers.UseToken.class, "",
            input("token", "Bearer {{secrets.memory:api-key}}"))
        .node("templated", "<serviceTask id=\"templated\" camunda:class=\""
            + Consumers.UseApiKey.class.getName() + "\" camunda:modelerTemplate=\"io.example.CallApi\">"
            + "<extensionElements>" + input("authorization", "${apiKey}")
            + "</extensionElements></serviceTask>")
        .node("property", "<serviceTask id=\"property\" camunda:class=\""
            + Consumers.UseApiKey.class.getName() + "\"><extensionElements><camunda:properties>"
            + "<camunda:property name=\"secretfetch.secretInputs\" value=\"key\"/></camunda:properties>"
            + input("key", "{{secrets.api-key}}") + "</extensionElements></serviceTask>"));

    assertThat(engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey("good").count()).isEqualTo(1);
  }

  @Test
  void placeholderInANonSecretInputIsRefused() {
    assertThatThrownBy(() -> deploy(Flow.process("plainholder")
            .service("use", Consumers.UseApiKey.class, "", input("header",
                "Bearer {{secrets.api-key}}"))))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("input 'header' holds a {{secrets...}} placeholder but is not a"
            + " secret input");
  }

  @Test
  void preRunCheckReportsEveryMissingSecretAndStartsNothing() {
    deploy(Flow.process("prerun")
        .fetch("fetchMissing", FETCH_KEY, "missing-one", "resultVariable", "a")
        .fetch("fetchPresent", FETCH_KEY, "api-key", "resultVariable", "b")
        .fetch("fetchOther", FETCH_KEY, "missing-two", "resultVariable", "c")
        .service("use", Consumers.UseToken.class, "", input("token", "{{secrets.missing-three}}")));

    assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("prerun"))
        .isInstanceOfSatisfying(PreRunCheckException.class, e -> {
          assertThat(e.report().problems()).extracting(ValidationProblem::slot)
              .containsExactly("missing-one", "missing-two", "missing-three");
          assertThat(e.report().problems()).extracting(ValidationProblem::element)
              .containsExactly("fetchMissing", "fetchOther", "use/token");
          assertThat(e.report().problems()).extracting(ValidationProblem::code)
              .containsOnly(SecretError.NOT_FOUND);
        })
        .hasMessageContaining("process 'prerun': 3 secrets do not resolve")
        .hasMessageContaining("Nothing was started");
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKey("prerun").count()).isZero();

    memory.put("missing-one", "now-there-1");
    memory.put("missing-two", "now-there-2");
    memory.put("missing-three", "now-there-3");
    assertThat(engine.getRuntimeService().startProcessInstanceByKey("prerun").isEnded()).isTrue();
  }

  @Test
  void definitionsDeployedBeforeThePluginKeepLoading() {
    String url = Engines.newH2Url();
    ProcessEngineConfigurationImpl plain = Engines.config("no-plugin", url);
    ProcessEngine before = plain.buildProcessEngine();
    try {
      // Violates a rule (a literal in a secret input) but was deployed without the plugin.
      before.getRepositoryService().createDeployment().addString("old.bpmn",
          Flow.process("old").fetch("fetchKey", FETCH_KEY, "api-key", "resultVariable", "apiKey")
              .service("use", Consumers.UseToken.class, "", input("token", "${apiKey}"))
              .node("legacy", "<serviceTask id=\"legacy\" camunda:class=\""
                  + Consumers.UseToken.class.getName() + "\" camunda:asyncBefore=\"true\">"
                  + "<extensionElements>" + input("token", "literal-legacy")
                  + "</extensionElements></serviceTask>").xml()).deploy();
    } finally {
      before.close();
    }
    ProcessEngine after = Engines.withPlugin("after-upgrade", url, resolver);
    try {
      Consumers.SEEN.clear();
      String pi = after.getRuntimeService().startProcessInstanceByKey("old").getId();
      assertThat(Consumers.SEEN).containsExactly("sk-deploy-check-0b3e");
      assertThat(after.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi)
          .count()).isEqualTo(1);
      // A new deployment of the same XML is held to the rules.
      assertThatThrownBy(() -> after.getRepositoryService().createDeployment()
              .addString("old.bpmn", Flow.process("old").node("legacy", "<serviceTask id=\"legacy\""
                  + " camunda:class=\"" + Consumers.UseToken.class.getName() + "\">"
                  + "<extensionElements>" + input("token", "literal-legacy")
                  + "</extensionElements></serviceTask>").xml()).deploy())
          .isInstanceOf(ParseException.class);
    } finally {
      after.close();
    }
  }
}
