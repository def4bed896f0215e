package io.secretfetch.benchmarks.node;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.SecretFetchDelegate;
import io.secretfetch.camunda.SecretFetchPlugin;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Process instances per second on an embedded engine (in-memory H2, history full, job executor
 * off, metrics off), one thread, each instance running to its end inside {@code
 * startProcessInstanceByKey}:
 *
 * <ul>
 *   <li>{@code secretFetch}: start → Secret Fetch task (warm resolver cache) → consumer reading the
 *       key with {@code SecretInputs.get} → end, on an engine with the plugin (pre-run check on,
 *       its default; warm as well);
 *   <li>{@code constantWithPlugin}: the same process with the key as a constant — a task setting a
 *       plain string variable, then a consumer reading it — on the same engine;
 *   <li>{@code constantWithoutPlugin}: that constant process on an engine without the plugin.
 * </ul>
 *
 * The goal is secretFetch ≥ 0.9 × constantWithPlugin; the third line shows what the plugin costs a
 * flow that uses no secret.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
public class ProcessThroughputBenchmark {
  static final String SECRET = "sk-bench-4f9a1c0e-7d2b-4e61-9a3f-0123456789ab";
  static final String CONSTANT = "const-bench-8c1d2e3f-5a6b-4c7d-8e9f-abcdef012345";

  static final String SECRET_FLOW = flow("secretFlow",
      "<serviceTask id=\"fetch\" camunda:class=\"" + SecretFetchDelegate.CLASS_NAME + "\">"
          + "<extensionElements>"
          + "<camunda:field name=\"secretName\" stringValue=\"api-key\"/>"
          + "<camunda:field name=\"resultVariable\" stringValue=\"apiKey\"/>"
          + "</extensionElements></serviceTask>",
      Consumers.UseSecret.class);
  static final String CONSTANT_FLOW = flow("constantFlow",
      "<serviceTask id=\"fetch\" camunda:class=\"" + Consumers.SetConstant.class.getName()
          + "\"/>",
      Consumers.UseConstant.class);

  static String flow(String id, String first, Class<?> consumer) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
        + " xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\""
        + " targetNamespace=\"http://secretfetch.io/bench\">"
        + "<process id=\"" + id + "\" isExecutable=\"true\" camunda:historyTimeToLive=\"P1D\">"
        + "<startEvent id=\"start\"/>" + first
        + "<serviceTask id=\"consume\" camunda:class=\"" + consumer.getName() + "\"/>"
        + "<endEvent id=\"end\"/>"
        + "<sequenceFlow id=\"f1\" sourceRef=\"start\" targetRef=\"fetch\"/>"
        + "<sequenceFlow id=\"f2\" sourceRef=\"fetch\" targetRef=\"consume\"/>"
        + "<sequenceFlow id=\"f3\" sourceRef=\"consume\" targetRef=\"end\"/>"
        + "</process></definitions>";
  }

  static ProcessEngine engine(String name, SecretFetchPlugin plugin) {
    StandaloneInMemProcessEngineConfiguration c = new StandaloneInMemProcessEngineConfiguration();
    c.setProcessEngineName(name);
    c.setJdbcUrl("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    c.setJobExecutorActivate(false);
    c.setMetricsEnabled(false);
    c.setEnforceHistoryTimeToLive(false);
    c.setProcessEnginePlugins(new ArrayList<>());
    if (plugin != null) {
      c.getProcessEnginePlugins().add(plugin);
    }
    ProcessEngine engine = ((ProcessEngineConfigurationImpl) c).buildProcessEngine();
    engine.getRepositoryService().createDeployment()
        .addString("secretFlow.bpmn", SECRET_FLOW)
        .addString("constantFlow.bpmn", CONSTANT_FLOW)
        .deploy();
    return engine;
  }

  /** An engine with the plugin, its resolver holding the key; warmed by one instance of each. */
  @State(Scope.Benchmark)
  public static class WithPlugin {
    SecretResolver resolver;
    ProcessEngine engine;
    RuntimeService runtime;

    @Setup
    public void setUp() {
      InMemorySecretProvider memory = new InMemorySecretProvider("memory");
      memory.put("api-key", SECRET);
      resolver = SecretResolver.builder().provider(memory).build();
      engine = engine("bench-plugin", new SecretFetchPlugin(resolver).defaultProvider("memory"));
      runtime = engine.getRuntimeService();
      runtime.startProcessInstanceByKey("secretFlow");
      runtime.startProcessInstanceByKey("constantFlow");
    }

    @TearDown
    public void tearDown() {
      engine.close();
      resolver.close();
    }
  }

  /** The same engine without the plugin. */
  @State(Scope.Benchmark)
  public static class WithoutPlugin {
    ProcessEngine engine;
    RuntimeService runtime;

    @Setup
    public void setUp() {
      engine = engine("bench-plain", null);
      runtime = engine.getRuntimeService();
      runtime.startProcessInstanceByKey("constantFlow");
    }

    @TearDown
    public void tearDown() {
      engine.close();
    }
  }

  @Benchmark
  public String secretFetch(WithPlugin s) {
    return s.runtime.startProcessInstanceByKey("secretFlow").getId();
  }

  @Benchmark
  public String constantWithPlugin(WithPlugin s) {
    return s.runtime.startProcessInstanceByKey("constantFlow").getId();
  }

  @Benchmark
  public String constantWithoutPlugin(WithoutPlugin s) {
    return s.runtime.startProcessInstanceByKey("constantFlow").getId();
  }
}
