package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.time.Duration;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;

/** How often the pre-run check asks the provider: once per trust window, not on every start. */
class PreRunCheckCacheTest {

  static ProcessEngine engine(InMemorySecretProvider memory, Duration trust) {
    SecretResolver resolver = SecretResolver.builder().provider(memory).build();
    return Engines.withPlugin("prerun-cache-" + trust, Engines.newH2Url(),
        new SecretFetchPlugin(resolver).preRunCheckCacheTtl(trust));
  }

  static void deploy(ProcessEngine engine, String key, String... secrets) {
    Flow flow = Flow.process(key);
    for (String s : secrets) {
      flow.fetch("fetch-" + s, "secretName", s, "resultVariable", "v" + s);
    }
    engine.getRepositoryService().createDeployment()
        .addString(flow.userTask("wait").resourceName(), flow.xml()).deploy();
  }

  static InMemorySecretProvider memory() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("a", "value-a-3f1e");
    memory.put("b", "value-b-8c2d");
    memory.put("c", "value-c-5a9b");
    return memory;
  }

  @Test
  void aSuccessfulCheckIsTrustedForItsWindowPerSecret() {
    InMemorySecretProvider memory = memory();
    ProcessEngine engine = engine(memory, Duration.ofMinutes(5));
    try {
      deploy(engine, "ab", "a", "b");
      deploy(engine, "ac", "a", "c");
      for (int i = 0; i < 3; i++) {
        engine.getRuntimeService().startProcessInstanceByKey("ab");
      }
      assertThat(memory.checkCount()).as("one batch check for a and b").isEqualTo(1);
      // Another definition sharing 'a': only 'c' is asked for, once.
      engine.getRuntimeService().startProcessInstanceByKey("ac");
      engine.getRuntimeService().startProcessInstanceByKey("ac");
      assertThat(memory.checkCount()).isEqualTo(2);
    } finally {
      engine.close();
    }
  }

  @Test
  void aZeroWindowChecksOnEveryStart() {
    InMemorySecretProvider memory = memory();
    ProcessEngine engine = engine(memory, Duration.ZERO);
    try {
      deploy(engine, "ab", "a", "b");
      for (int i = 0; i < 3; i++) {
        engine.getRuntimeService().startProcessInstanceByKey("ab");
      }
      assertThat(memory.checkCount()).isEqualTo(3);
    } finally {
      engine.close();
    }
  }
}
