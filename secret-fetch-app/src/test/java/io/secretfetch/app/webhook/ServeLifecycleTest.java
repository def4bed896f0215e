package io.secretfetch.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.ConfigLoader;
import io.secretfetch.app.serve.SecretFetchServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks and shutdown of {@code serve}. */
class ServeLifecycleTest {
  @TempDir Path dir;

  AppConfig config(String triggers) throws Exception {
    Path file = dir.resolve("sf.yaml");
    Files.writeString(file, """
        store: {data-dir: %s}
        engine: {jdbc-url: "jdbc:h2:mem:sf-lifecycle-%d;DB_CLOSE_DELAY=-1"}
        server: {port: 0}
        triggers:
        %s
        """.formatted(dir.resolve("data"), System.nanoTime(), triggers.indent(2)));
    return ConfigLoader.load(file);
  }

  @Test
  void aTriggerWhoseSecretRefDiffersFromItsSlotsRefIsAStartupErrorNamingBoth() throws Exception {
    AppConfig c = config("""
        order:
          process: order-received
          auth: {type: api-key, secret-ref: webhook-secret}
        """);
    List<DeclaredSlot> slots = List.of(new DeclaredSlot("order-received", "webhook-secret",
        SecretRef.parse("platform:shop/webhook-secret")));
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings(), slots))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.detail()).contains("trigger 'order' has secret-ref 'webhook-secret'")
              .contains("slot 'webhook-secret' of process 'order-received' is bound to"
                  + " 'platform:shop/webhook-secret'");
        });
    // Nothing stayed open: the store can be opened again by another process step.
    SecretFetchServer again = SecretFetchServer.start(c, c.storeSettings(), List.of());
    again.close();
  }

  @Test
  void aTriggerNamingAnUndeclaredSlotIsAStartupErrorAndAMatchingOneStarts() throws Exception {
    AppConfig c = config("""
        order:
          process: order-received
          auth: {type: api-key, secret-ref: "platform:hook", slot: webhook-secret}
        """);
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings(), List.of(
        new DeclaredSlot("order-received", "other", SecretRef.parse("platform:hook")))))
        .hasMessageContaining("names slot 'webhook-secret', which the bundle of process"
            + " 'order-received' does not declare (it declares [other])");
    // A bare name and platform:name are the same reference once the default provider applies.
    try (SecretFetchServer ok = SecretFetchServer.start(c, c.storeSettings(), List.of(
        new DeclaredSlot("order-received", "webhook-secret", SecretRef.parse("hook"))))) {
      assertThat(ok.port()).isPositive();
    }
  }

  @Test
  void badTriggersAreReportedTogetherBeforeAnythingStarts() throws Exception {
    AppConfig c = config("""
        open: {process: p}
        odd: {process: p, auth: {type: oauth, secret-ref: s}}
        nouser: {process: p, auth: {type: basic, secret-ref: s}}
        """);
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings(), List.of()))
        .hasMessageContaining("trigger 'open': 'auth.type' is missing")
        .hasMessageContaining("trigger 'odd': 'auth.type' is 'oauth'")
        .hasMessageContaining("trigger 'nouser': 'auth.username' is missing");
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  @Test
  void closeStopsTheListenerAndTheEngine() throws Exception {
    AppConfig c = config("{}");
    SecretFetchServer server = SecretFetchServer.start(c, c.storeSettings(), List.of());
    int port = server.port();
    JobExecutor jobs = ((ProcessEngineConfigurationImpl) server.engine()
        .getProcessEngineConfiguration()).getJobExecutor();
    assertThat(jobs.isActive()).isTrue();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port));
    }
    server.close();
    server.close();    // idempotent, as a shutdown hook after an explicit close needs
    try (ServerSocket free = new ServerSocket(port)) {
      assertThat(free.getLocalPort()).isEqualTo(port);     // the port was released
    }
    assertThat(jobs.isActive()).isFalse();
  }
}
