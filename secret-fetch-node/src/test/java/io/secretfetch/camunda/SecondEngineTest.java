package io.secretfetch.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines ("nodes") on one H2 database, each with its own plugin, resolver and cache, both
 * reaching the same secret store (here: two providers holding the same secret). An instance started
 * on node A continues on node B, which never saw the value: B re-resolves it from the stored
 * reference.
 */
class SecondEngineTest {
  static final String KEY = "sk-two-nodes-2b7e5d41";
  static InMemorySecretProvider storeSeenByA;
  static InMemorySecretProvider storeSeenByB;
  static SecretResolver resolverA;
  static SecretResolver resolverB;
  static ProcessEngine nodeA;
  static ProcessEngine nodeB;

  @BeforeAll
  static void start() {
    String url = Engines.newH2Url();
    storeSeenByA = new InMemorySecretProvider("memory");
    storeSeenByA.put("api-key", KEY);
    storeSeenByB = new InMemorySecretProvider("memory");
    storeSeenByB.put("api-key", KEY);
    resolverA = SecretResolver.builder().provider(storeSeenByA).build();
    resolverB = SecretResolver.builder().provider(storeSeenByB).build();
    nodeA = Engines.withPlugin("node-a", url, resolverA);
    nodeB = Engines.withPlugin("node-b", url, resolverB);
    Flow waits = Flow.process("twoNodesWait")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .userTask("wait")
        .service("use", Consumers.UseApiKey.class);
    Flow async = Flow.process("twoNodesAsync")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", Consumers.UseApiKey.class, "camunda:asyncBefore=\"true\"", "");
    nodeA.getRepositoryService().createDeployment()
        .addString(waits.resourceName(), waits.xml())
        .addString(async.resourceName(), async.xml())
        .deploy();
  }

  @AfterAll
  static void stop() {
    nodeB.close();
    nodeA.close();
    resolverB.close();
    resolverA.close();
  }

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
    resolverB.invalidateAll(); // node B has not seen the secret in this test
  }

  @Test
  void anInstanceStartedOnOneNodeFinishesOnTheOtherAfterAWaitState() {
    ProcessInstance pi = nodeA.getRuntimeService().startProcessInstanceByKey("twoNodesWait");
    int fetchedByB = storeSeenByB.fetchCount();

    String task = nodeB.getTaskService().createTaskQuery().processInstanceId(pi.getId())
        .singleResult().getId();
    nodeB.getTaskService().complete(task);

    assertThat(Consumers.SEEN).containsExactly(KEY);
    assertThat(storeSeenByB.fetchCount()).as("node B resolved the reference itself")
        .isEqualTo(fetchedByB + 1);
    assertThat(nodeB.getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(pi.getId()).singleResult().getState()).isEqualTo("COMPLETED");
  }

  @Test
  void anAsyncContinuationOfOneNodeRunsOnTheOther() {
    ProcessInstance pi = nodeA.getRuntimeService().startProcessInstanceByKey("twoNodesAsync");
    int fetchedByA = storeSeenByA.fetchCount();
    int fetchedByB = storeSeenByB.fetchCount();

    String job = nodeB.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .singleResult().getId();
    nodeB.getManagementService().executeJob(job);

    assertThat(Consumers.SEEN).containsExactly(KEY);
    assertThat(storeSeenByB.fetchCount()).isEqualTo(fetchedByB + 1);
    assertThat(storeSeenByA.fetchCount()).isEqualTo(fetchedByA);
    assertThat(nodeA.getRuntimeService().createProcessInstanceQuery()
        .processInstanceId(pi.getId()).count()).isZero();
  }
}
