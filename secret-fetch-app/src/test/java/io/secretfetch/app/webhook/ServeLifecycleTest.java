package io.secretfetch.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.ConfigLoader;
import io.secretfetch.app.serve.SecretFetchServer;
import io.secretfetch.camunda.bundle.BundleExporter;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up checks and shutdown of {@code serve}, with a real bundle: its manifest, exported from
 * its BPMN, declares slot {@code shop-webhook-secret} bound to {@code shop/webhook-secret}.
 */
class ServeLifecycleTest {
  @TempDir Path dir;
  Path bundle;

  @BeforeEach
  void bundle() throws Exception {
    bundle = Files.createDirectories(dir.resolve("order"));
    Files.copy(Path.of(ServeLifecycleTest.class.getResource(
        "/bundles/order/order-received.bpmn").toURI()), bundle.resolve("order-received.bpmn"));
    new BundleExporter().export(bundle).manifest().write(bundle.resolve("secret-manifest.json"));
  }

  AppConfig config(String triggers) throws Exception {
    Path file = dir.resolve("sf.yaml");
    Files.writeString(file, """
        store: {data-dir: %s}
        engine: {jdbc-url: "jdbc:h2:mem:sf-lifecycle-%d;DB_CLOSE_DELAY=-1", deploy: [%s]}
        server: {port: 0}
        triggers:
        %s
        """.formatted(dir.resolve("data"), System.nanoTime(), bundle, triggers.indent(2)));
    return ConfigLoader.load(file);
  }

  void createTheBundlesSecret(AppConfig c) {
    try (PlatformSecretStore store = c.storeSettings().open()) {
      store.create(SecretContext.system(), NewSecret.builder("shop/webhook-secret")
          .value("whs-" + System.nanoTime()).build());
    }
  }

  @Test
  void aTriggerWhoseSecretRefDiffersFromItsSlotsRefIsAStartupErrorNamingBoth() throws Exception {
    AppConfig c = config("""
        order:
          process: order-received
          auth: {type: api-key, secret-ref: webhook-secret, slot: shop-webhook-secret}
        """);
    createTheBundlesSecret(c);
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings()))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.detail()).contains("trigger 'order' has secret-ref 'webhook-secret' but"
              + " slot 'shop-webhook-secret' of process 'order-received' is bound to"
              + " 'platform:shop/webhook-secret'");
        });
    // Nothing stayed open: the store and port can be used by the next start.
    AppConfig fixed = config("""
        order:
          process: order-received
          auth: {type: api-key, secret-ref: "platform:shop/webhook-secret"}
        """);
    try (SecretFetchServer ok = SecretFetchServer.start(fixed, fixed.storeSettings())) {
      assertThat(ok.port()).isPositive();   // without auth.slot: the slot bound to the same ref
    }
  }

  @Test
  void aTriggerNamingAnUndeclaredSlotOrARefNoSlotHasIsAStartupError() throws Exception {
    AppConfig c = config("""
        named:
          process: order-received
          auth: {type: api-key, secret-ref: webhook-secret, slot: webhook-secret}
        unnamed:
          process: order-received
          auth: {type: basic, username: shop, secret-ref: webhook-secret}
        """);
    createTheBundlesSecret(c);
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings()))
        .hasMessageContaining("trigger 'named' names slot 'webhook-secret', which the bundle of"
            + " process 'order-received' does not declare (it declares [shop-webhook-secret])")
        .hasMessageContaining("trigger 'unnamed' has secret-ref 'webhook-secret', which no slot"
            + " of process 'order-received' is bound to (its slots: [shop-webhook-secret ->"
            + " platform:shop/webhook-secret])");
  }

  @Test
  void aBundleWhoseSlotDoesNotResolveIsRefusedWithItsReport() throws Exception {
    AppConfig c = config("{}");
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings()))
        .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.getMessage())
            .contains("the bundle " + bundle + " was refused")
            .contains("shop-webhook-secret").contains("NOT_FOUND")
            .contains("secret-fetch bindings apply"));
  }

  @Test
  void badTriggersAreReportedTogetherBeforeAnythingStarts() throws Exception {
    AppConfig c = config("""
        open: {process: p}
        odd: {process: p, auth: {type: oauth, secret-ref: s}}
        nouser: {process: p, auth: {type: basic, secret-ref: s}}
        """);
    assertThatThrownBy(() -> SecretFetchServer.start(c, c.storeSettings()))
        .hasMessageContaining("trigger 'open': 'auth.type' is missing")
        .hasMessageContaining("trigger 'odd': 'auth.type' is 'oauth'")
        .hasMessageContaining("trigger 'nouser': 'auth.username' is missing");
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  @Test
  void closeStopsTheListenerAndTheJobExecutor() throws Exception {
    AppConfig c = config("{}");
    createTheBundlesSecret(c);
    SecretFetchServer server = SecretFetchServer.start(c, c.storeSettings());
    int port = server.port();
    JobExecutor jobs = ((ProcessEngineConfigurationImpl) server.runtime().engine()
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
