package io.secretfetch.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.secretfetch.app.ExitCodes;
import io.secretfetch.app.serve.SecretFetchServer;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch serve}. */
@Command(name = "serve", description = "Run the Camunda engine with its job executor, the"
    + " platform HTTPS API, webhook triggers (POST /hooks/{trigger}) and GET /health on one TLS"
    + " listener, as the --config file says. Stops gracefully on SIGTERM / Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand SecretFetchCommand root;

  @Override
  public Integer call() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger("io.secretfetch").setLevel(Level.INFO);   // a server says what it does
    }
    SecretFetchServer server = SecretFetchServer.start(root.config(), root.storeSettings());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "secret-fetch-shutdown"));
    root.out().print(java.util.Map.of("port", server.port(), "certificateSha256",
        server.tls().fingerprintSha256()), "Serving on https://" + root.config().server().host()
        + ":" + server.port() + " (API /api/v1, webhooks /hooks/{trigger}, health /health)."
        + " Certificate SHA-256 " + server.tls().fingerprintSha256() + ". Stop with Ctrl-C.");
    return ExitCodes.KEEP_RUNNING;
  }
}
