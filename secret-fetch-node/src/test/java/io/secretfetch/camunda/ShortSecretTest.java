package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.kit.InMemorySecretProvider;
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
 * Short or common secrets ({@code admin}, {@code postgres}) must not break unrelated flows: below
 * the guards' check minimum they are refused only as a whole value (and masked where the text is
 * prose), and the log says so per secret, naming it, never the value.
 */
class ShortSecretTest {
  static SecretResolver resolver;
  static ProcessEngine engine;
  static RuntimeService runtime;
  static List<String> warnings;

  @BeforeAll
  static void start() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("console-user", "admin");
    memory.put("db-password", "postgres");
    // Its own masker: the shared one would make "admin" a secret for every engine in this JVM.
    resolver = SecretResolver.builder().provider(memory).masker(new SecretMasker()).build();
    engine = Engines.withPlugin("short-secret-test", Engines.newH2Url(), resolver);
    runtime = engine.getRuntimeService();
    try (LogCapture logs = new LogCapture()) {
      resolver.resolve("memory:console-user", SecretContext.forTenant(null)).close();
      resolver.resolve("memory:db-password", SecretContext.forTenant(null)).close();
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
    for (String ref : new String[] {"memory:console-user", "memory:db-password"}) {
      assertThat(warnings).anySatisfy(line -> assertThat(line)
          .startsWith("WARN ").contains(ref).contains("only where it stands as a whole value"));
    }
    assertThat(String.join("\n", warnings)).doesNotContain("admin").doesNotContain("postgres");
  }

  @Test
  void wordsContainingAShortSecretStillSave() {
    String id = runtime.startProcessInstanceByKey("wait", "order-admin-7").getId();
    runtime.setVariable(id, "role", "administrator");
    runtime.setVariable(id, "note", "ask the admin team");
    runtime.setVariable(id, "url", "jdbc:postgresql://db/orders");
    assertThat(runtime.getVariable(id, "role")).isEqualTo("administrator");
    assertThat(runtime.getVariable(id, "note")).isEqualTo("ask the admin team");
    assertThat(runtime.getVariable(id, "url")).isEqualTo("jdbc:postgresql://db/orders");
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey("order-admin-7")
        .count()).isOne();
  }

  @Test
  void theShortSecretAsAWholeValueIsRefusedOrMasked() {
    String id = runtime.startProcessInstanceByKey("wait").getId();
    assertThatThrownBy(() -> runtime.setVariable(id, "user", "admin"))
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("'user'");
    assertThatThrownBy(() -> runtime.setVariable(id, "password", " postgres "))
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("'password'");
    assertThatThrownBy(() -> runtime.startProcessInstanceByKey("wait", "admin"))
        .isInstanceOf(SecretFetchException.class).hasMessageContaining("business key");
    // Prose is masked wherever the value stands: masking never breaks a flow.
    engine.getTaskService().createComment(null, id, "logged in as admin with postgres");
    assertThat(engine.getTaskService().getProcessInstanceComments(id)).singleElement()
        .satisfies(c -> assertThat(c.getFullMessage()).isEqualTo("logged in as *** with ***"));
  }
}
