package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.testing.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import io.secretfetch.camunda.testing.LogCapture;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short, common secret ({@code admin}) must not break unrelated flows: below the masker's
 * free-text minimum the guards refuse only the value as a whole, and the log says so per secret.
 */
class ShortSecretTest {
  static SecretResolver resolver;
  static ProcessEngine engine;
  static RuntimeService runtime;
  static List<String> warnings;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("console-user", "adm");
    resolver = SecretResolver.builder().provider(memory).build();
    engine = Engines.withPlugin("short-secret-test", Engines.newH2Url(), resolver);
    runtime = engine.getRuntimeService();
    try (LogCapture logs = new LogCapture()) {
      resolver.resolve("memory:console-user", SecretContext.forTenant(null)).close();
      warnings = logs.lines();
    }
    Flow flow = Flow.process("wait").userTask("task");
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  @AfterAll
  static void stop() {
    engine.close();
    resolver.close();
  }

  @Test
  void theLogNamesTheSecretThatIsOnlyMatchedWhole() {
    assertThat(warnings).anySatisfy(line -> assertThat(line)
        .startsWith("WARN ").contains("memory:console-user").contains("whole"));
  }

  @Test
  void wordsContainingAShortSecretStillSave() {
    String id = runtime.startProcessInstanceByKey("wait", "order-adm-7").getId();
    runtime.setVariable(id, "role", "administrator");
    runtime.setVariable(id, "note", "ask the adm team");
    engine.getTaskService().createComment(null, id, "admin console: adm");
    assertThat(runtime.getVariable(id, "role")).isEqualTo("administrator");
    assertThat(runtime.getVariable(id, "note")).isEqualTo("ask the adm team");
    assertThat(engine.getTaskService().getProcessInstanceComments(id)).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("admin console: adm"));
  }

  @Test
  void theShortSecretAsAWholeValueIsRefusedOrMasked() {
    String id = runtime.startProcessInstanceByKey("wait").getId();
    assertThatThrownBy(() -> runtime.setVariable(id, "user", "adm"))
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("'user'");
    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("wait", "adm"))
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("business key");
    engine.getTaskService().createComment(null, id, "adm");
    assertThat(engine.getTaskService().getProcessInstanceComments(id)).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("***"));
  }
}
