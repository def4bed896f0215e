package io.secretfetch.camunda;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.testing.Engines;
import io.secretfetch.camunda.testing.Flow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The plugin masks what the application logs and prints without any masking configured: a plain
 * Logback configuration (file behind an asynchronous appender, console) loaded before the engine
 * starts, and loaded again while it runs, receives a user delegate's log lines, MDC and exceptions
 * and the engine's DEBUG SQL lines with every resolved secret masked; {@code System.out} and
 * {@code System.err} too. Each test gives its resolver a masker of its own, so a secret is masked
 * only by that engine's plugin.
 */
class OutputMaskingTest {

  private static final String SECRET = "out-" + UUID.randomUUID();

  @TempDir Path dir;

  private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreTheModulesLoggingConfiguration() throws Exception {
    logback.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(logback);
    joran.doConfigure(getClass().getResource("/logback-test.xml"));
    logback.start();
  }

  @Test
  void userLogsMdcExceptionsAndSqlReachTheConfiguredAppendersMaskedAlsoAfterAReload()
      throws Exception {
    Path first = dir.resolve("first.log");
    load(first);
    LogsTheSecret.LOG.warn("control {}", SECRET); // not resolved yet: nothing masks it
    ProcessEngine engine = engine(new SecretFetchPlugin(resolver()).defaultProvider("memory"));
    try {
      run(engine, "outputMasking");
      // The engine's DEBUG SQL line carries the query's parameter.
      engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(SECRET)
          .count();

      Path second = dir.resolve("second.log");
      load(second); // reset and configure again, as a scan="true" reload does
      LogsTheSecret.LOG.warn("after the reload {}", SECRET);
      drainAsync();

      String before = Files.readString(first, UTF_8);
      assertThat(before).contains("control " + SECRET); // the capture sees what is not masked
      String flow = before.substring(before.indexOf("control " + SECRET) + SECRET.length() + 8);
      assertThat(flow).doesNotContain(SECRET)
          .contains("calling the API with ***").contains("apiKey=***")
          .contains("IllegalStateException: rejected key ***")
          .containsPattern("ByQueryCriteria.*Parameters: .*\\*\\*\\*");
      assertThat(Files.readString(second, UTF_8)).contains("after the reload ***")
          .doesNotContain(SECRET);
    } finally {
      engine.close();
    }
  }

  @Test
  void systemOutAndErrAreMaskedByDefault() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    ProcessEngine engine = null;
    try {
      engine = engine(new SecretFetchPlugin(resolver()).defaultProvider("memory"));
      run(engine, "streamMasking");
      System.out.flush();
      System.err.flush();
    } finally {
      System.setOut(out);
      System.setErr(err);
      if (engine != null) {
        engine.close();
      }
    }
    assertThat(captured.toString(UTF_8)).contains("stdout ***").contains("stderr ***")
        .doesNotContain(SECRET);
  }

  @Test
  void bothCanBeTurnedOffAndThenTheSameOutputCarriesTheValue() throws Exception {
    Path log = dir.resolve("off.log");
    load(log);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, UTF_8));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    ProcessEngine engine = null;
    try {
      engine = engine(new SecretFetchPlugin(resolver()).defaultProvider("memory")
          .maskLogs(false).maskSystemStreams(false));
      run(engine, "maskingOff");
      drainAsync();
    } finally {
      System.setOut(out);
      System.setErr(err);
      if (engine != null) {
        engine.close();
      }
    }
    assertThat(Files.readString(log, UTF_8)).contains("calling the API with " + SECRET);
    assertThat(captured.toString(UTF_8)).contains("stdout " + SECRET);
  }

  /** Stopping the asynchronous appender writes out what it queued. */
  private void drainAsync() {
    logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_FILE").stop();
  }

  private void load(Path file) throws Exception {
    logback.reset();
    logback.putProperty("OUTPUT_LOG", file.toString());
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(logback);
    joran.doConfigure(getClass().getResource("/logback-output-masking.xml"));
  }

  private static SecretResolver resolver() {
    InMemorySecretProvider memory = new InMemorySecretProvider("memory");
    memory.put("api-key", SECRET);
    return SecretResolver.builder().provider(memory).masker(new SecretMasker()).build();
  }

  private static ProcessEngine engine(SecretFetchPlugin plugin) {
    return Engines.withPlugin("output-" + UUID.randomUUID(), Engines.newH2Url(), plugin);
  }

  private static void run(ProcessEngine engine, String key) {
    Flow flow = Flow.process(key)
        .fetch("fetch", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", LogsTheSecret.class);
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
    engine.getRuntimeService().startProcessInstanceByKey(key);
  }

  /** What careless user code does with a secret: log it, put it in the MDC, print it. */
  public static final class LogsTheSecret implements JavaDelegate {
    static final Logger LOG = LoggerFactory.getLogger("io.app.UserDelegate");

    @Override
    public void execute(DelegateExecution execution) {
      String key = SecretInputs.get(execution, "apiKey").reveal();
      MDC.put("apiKey", key);
      try {
        LOG.info("calling the API with {}", key);
        LOG.warn("call failed", new IllegalStateException("rejected key " + key));
        System.out.println("stdout " + key);
        System.err.println("stderr " + key);
      } finally {
        MDC.remove("apiKey");
      }
    }
  }
}
