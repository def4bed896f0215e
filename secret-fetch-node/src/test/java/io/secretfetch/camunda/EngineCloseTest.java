package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.testing.ClosingProbe;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who closes the resolver: the plugin closes the one it built with the engine, not a given one. */
class EngineCloseTest {

  @BeforeEach
  void clear() {
    ClosingProbe.BUILT.clear();
    Consumers.SEEN.clear();
  }

  static void fetchAndUse(ProcessEngine engine) {
    Flow flow = Flow.process("fetchAndUse")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", Consumers.UseApiKey.class);
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
    engine.getRuntimeService().startProcessInstanceByKey("fetchAndUse");
  }

  @Test
  void aResolverThePluginBuiltClosesWithTheEngine() {
    SecretFetchPlugin plugin = new SecretFetchPlugin();
    plugin.setProviders("probe.type = closing-probe\nprobe.secret.api-key = sk-close-test-1c4e");
    plugin.setDefaultProvider("probe");
    ProcessEngine engine = Engines.withPlugin("close-built", Engines.newH2Url(), plugin);
    fetchAndUse(engine);
    assertThat(Consumers.SEEN).containsExactly("sk-close-test-1c4e");
    assertThat(ClosingProbe.BUILT).singleElement()
        .satisfies(p -> assertThat(p.closeCount()).as("open while the engine runs").isZero());

    engine.close();

    assertThat(ClosingProbe.BUILT.get(0).closeCount()).isEqualTo(1);
  }

  @Test
  void aResolverGivenToThePluginStaysTheCallersToClose() {
    ClosingProbe probe = new ClosingProbe("probe").put("api-key", "sk-close-test-9b2d");
    SecretResolver resolver = SecretResolver.builder().provider(probe).build();
    ProcessEngine engine = Engines.withPlugin("close-given", Engines.newH2Url(),
        new SecretFetchPlugin(resolver).defaultProvider("probe"));
    fetchAndUse(engine);

    engine.close();

    assertThat(probe.closeCount()).isZero();
    try (SecretValue v = resolver.resolve("probe:api-key", SecretContext.system())) {
      assertThat(v.reveal()).isEqualTo("sk-close-test-9b2d");
    }
    resolver.close();
    assertThat(probe.closeCount()).isEqualTo(1);
  }
}
