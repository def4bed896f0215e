package io.secretfetch.app.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.app.serve.Engines;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.camunda.bundle.BundleExporter;
import io.secretfetch.camunda.bundle.ExportResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundle in {@code examples/quickstart}, run as shipped: its BPMN on a real engine with the
 * plugin, calling a loopback HTTP server with the fetched key as a bearer token. (Moved here from
 * secret-fetch-node with the consumer, {@link BearerCallDelegate}, which the app ships.)
 */
class QuickstartFlowTest {
  static final Path BUNDLE = Path.of("..", "examples", "quickstart");

  final String key = "sk-quick-" + UUID.randomUUID();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> maskedLog = new CopyOnWriteArrayList<>();
  HttpServer server;
  InMemorySecretProvider memory;
  SecretResolver resolver;
  ProcessEngine engine;
  Quickstart.MaskedCapture capture;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/models", exchange -> {
      try {
        exchange.getRequestBody().readAllBytes();
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        exchange.sendResponseHeaders(204, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();

    capture = new Quickstart.MaskedCapture(maskedLog);   // what the quickstart prints
    capture.attach();

    memory = new InMemorySecretProvider("memory");
    memory.put("api-key", key);
    resolver = SecretResolver.builder().provider(memory).build();
    engine = Engines.build("quickstart-flow", "jdbc:h2:mem:sf-" + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1", null, null, false,
        new SecretFetchPlugin(resolver).defaultProvider("memory"));
  }

  @AfterEach
  void stop() {
    capture.detach();
    engine.close();
    resolver.close();
    server.stop(0);
  }

  @Test
  void theProcessCallsTheEndpointWithTheFetchedKeyAndTheLogsShowStars() throws Exception {
    try (InputStream bpmn = Files.newInputStream(BUNDLE.resolve("quickstart.bpmn"))) {
      engine.getRepositoryService().createDeployment().name("quickstart")
          .addInputStream("quickstart.bpmn", bpmn).deploy();
    }
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/models";

    ProcessInstance pi = engine.getRuntimeService()
        .startProcessInstanceByKey("quickstart", Map.of("apiUrl", url));

    assertThat(authorizations).containsExactly("Bearer " + key);
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(pi.getId()).singleResult().getState()).isEqualTo("COMPLETED");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(pi.getId()).variableName("apiStatus").singleResult().getValue())
        .isEqualTo(204);
    // The process variable and callApi's input both stay secrets (history holds references only).
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(pi.getId()).variableName("apiKey").list())
        .hasSize(2).allSatisfy(v -> assertThat(v.getTypeName()).isEqualTo("secret"));

    String log = String.join("", maskedLog);
    assertThat(log).contains("GET " + url + " with headers").contains("Bearer ***")
        .contains("GET " + url + " answered 204")
        .doesNotContain(key);
  }

  @Test
  void theCommittedManifestIsTheExportOfTheBundle() throws Exception {
    String committed = Files.readString(BUNDLE.resolve(SecretManifest.FILE_NAME));
    ExportResult export = new BundleExporter().export(BUNDLE);
    assertThat(export.problems().isOk()).isTrue();
    assertThat(committed)
        .as("examples/quickstart/secret-manifest.json drifted from the BPMN: export it again")
        .isEqualTo(export.manifest().toJson());
    assertThat(export.manifest().slots()).singleElement()
        .satisfies(s -> assertThat(s.slot()).isEqualTo("api-key"));
  }
}
