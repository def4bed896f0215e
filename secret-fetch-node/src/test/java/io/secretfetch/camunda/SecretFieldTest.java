package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camunda:fields a delegate declares secret ({@code @SecretInput}): placeholders in them resolve
 * automatically when the delegate evaluates the injected expression, a secret variable named by
 * an expression arrives as the secret, and a literal is refused at deployment.
 */
class SecretFieldTest {
  static final String KEY = "sk-field-6e0b9c2d";
  static String jdbcUrl;
  static SecretResolver resolver;
  static ProcessEngine engine;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("api-key", KEY);
    resolver = SecretResolver.builder().provider(memory).build();
    jdbcUrl = Engines.newH2Url();
    engine = Engines.withPlugin("secret-field", jdbcUrl,
        new SecretFetchPlugin(resolver).defaultProvider("memory"));
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
  }

  static void deploy(Flow flow) {
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  static String field(String attribute, String value) {
    return "<camunda:field name=\"authorization\" " + attribute + "=\"" + value + "\"/>";
  }

  @Test
  void aPlaceholderInADeclaredFieldArrivesRenderedAsASecret() throws Exception {
    deploy(Flow.process("placeholderField").service("call",
        Consumers.UseAuthorizationField.class, "",
        field("stringValue", "Bearer {{secrets.api-key}}")));

    engine.getRuntimeService().startProcessInstanceByKey("placeholderField");

    assertThat(Consumers.SEEN).containsExactly("Bearer " + KEY);
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      assertThat(io.secretfetch.camunda.testing.Canary.scanDatabase(c,
          Map.of("raw", KEY), "PUBLIC")).isEmpty();
    }
  }

  @Test
  void anExpressionNamingASecretVariableArrivesAsThatSecret() {
    deploy(Flow.process("variableField")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("call", Consumers.UseAuthorizationField.class, "",
            field("expression", "${apiKey}")));

    engine.getRuntimeService().startProcessInstanceByKey("variableField");

    assertThat(Consumers.SEEN).containsExactly(KEY);
  }

  @Test
  void aLiteralInADeclaredFieldIsRefusedAtDeployment() {
    Flow flow = Flow.process("literalField").service("call",
        Consumers.UseAuthorizationField.class, "", field("stringValue", "Bearer sk-literal"));

    assertThatThrownBy(() -> deploy(flow))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("'call'")
        .hasMessageContaining("secret field 'authorization'")
        .hasMessageContaining("literal value")
        .hasMessageNotContaining("sk-literal");
  }

  @Test
  void anExpressionThatIsNotASecretVariableIsRefusedAtDeployment() {
    Flow flow = Flow.process("plainExpressionField").service("call",
        Consumers.UseAuthorizationField.class, "", field("expression", "${token}"));

    assertThatThrownBy(() -> deploy(flow))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("secret field 'authorization' is an expression that is not a secret");
  }
}
