package io.secretfetch.camunda.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.camunda.PreRunCheckException;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.camunda.testing.Consumers;
import io.secretfetch.camunda.testing.Flow;
import java.net.URL;
import java.util.Map;
import org.camunda.bpm.application.impl.metadata.ProcessesXmlParser;
import org.camunda.bpm.container.impl.RuntimeContainerDelegateImpl;
import org.camunda.bpm.container.impl.deployment.StartProcessEngineStep;
import org.camunda.bpm.container.impl.metadata.BpmPlatformXmlParser;
import org.camunda.bpm.container.impl.metadata.spi.ProcessEngineXml;
import org.camunda.bpm.container.impl.spi.PlatformServiceContainer;
import org.camunda.bpm.container.impl.spi.ServiceTypes;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin configured the way a shared engine or a process application configures it: {@code
 * bpm-platform.xml} and {@code processes.xml} parsed by Camunda's own parsers and started by the
 * container's own {@link StartProcessEngineStep}, which instantiates the plugin by class name and
 * applies every property through its String setters.
 */
class XmlConfigurationTest {
  final PlatformServiceContainer container = new RuntimeContainerDelegateImpl().getServiceContainer();
  String engineName;

  @BeforeEach
  void clear() {
    Consumers.SEEN.clear();
  }

  @AfterEach
  void stop() {
    if (engineName != null) {
      container.stopService(ServiceTypes.PROCESS_ENGINE, engineName);
    }
  }

  /**
   * The container's step, with the job executor left off (tests drive jobs themselves) and a job
   * executor of its own instead of the container's acquisition service.
   */
  static final class StartWithoutJobExecutor extends StartProcessEngineStep {
    StartWithoutJobExecutor(ProcessEngineXml xml) {
      super(xml);
    }

    @Override
    protected void setJobExecutorActivate(ProcessEngineConfigurationImpl configuration,
        Map<String, String> properties) {
      configuration.setJobExecutorActivate(false);
    }

    @Override
    protected JobExecutor getJobExecutorService(PlatformServiceContainer serviceContainer) {
      return new DefaultJobExecutor();
    }
  }

  ProcessEngine start(ProcessEngineXml xml) {
    container.createDeploymentOperation("start " + xml.getName())
        .addStep(new StartWithoutJobExecutor(xml))
        .execute();
    engineName = xml.getName();
    return container.getServiceValue(ServiceTypes.PROCESS_ENGINE, xml.getName());
  }

  static SecretFetchPlugin plugin(ProcessEngine engine) {
    for (ProcessEnginePlugin p : ((ProcessEngineConfigurationImpl)
        engine.getProcessEngineConfiguration()).getProcessEnginePlugins()) {
      if (p instanceof SecretFetchPlugin sf) {
        return sf;
      }
    }
    throw new AssertionError("no SecretFetchPlugin on " + engine.getName());
  }

  static void deployFetchAndUse(ProcessEngine engine) {
    Flow flow = Flow.process("fetchAndUse")
        .fetch("fetchKey", "secretName", "api-key", "resultVariable", "apiKey")
        .service("use", Consumers.UseApiKey.class);
    engine.getRepositoryService().createDeployment()
        .addString(flow.resourceName(), flow.xml()).deploy();
  }

  @Test
  void bpmPlatformXmlConfiguresThePluginThroughItsStringProperties() {
    URL url = getClass().getResource("/config/bpm-platform.xml");
    ProcessEngineXml xml = new BpmPlatformXmlParser().createParse().sourceUrl(url).execute()
        .getBpmPlatformXml().getProcessEngines().get(0);

    ProcessEngine engine = start(xml);
    deployFetchAndUse(engine);
    engine.getRuntimeService().startProcessInstanceByKey("fetchAndUse");

    // providers: both built by type through ServiceLoader; the task names none: defaultProvider
    assertThat(plugin(engine).getResolver().providerIds()).containsExactlyInAnyOrder("memory", "backup");
    assertThat(Consumers.SEEN).containsExactly("sk-bpm-platform-xml-7f3a");
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isZero();
    // preRunCheck=true (with no trust cache): a process naming a missing secret does not start
    Flow missing = Flow.process("missing")
        .fetch("fetchKey", "secretName", "no-such-key", "resultVariable", "apiKey");
    engine.getRepositoryService().createDeployment()
        .addString(missing.resourceName(), missing.xml()).deploy();
    assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("missing"))
        .isInstanceOf(PreRunCheckException.class)
        .hasMessageContaining("no-such-key");
    // templateSecretInputs: an element template's secret input fed a literal is refused
    Flow templated = Flow.process("templated").node("call",
        "<serviceTask id=\"call\" camunda:class=\"" + Consumers.UseApiKey.class.getName()
            + "\" camunda:modelerTemplate=\"io.example.http\"><extensionElements>"
            + "<camunda:inputOutput><camunda:inputParameter name=\"token\">literal"
            + "</camunda:inputParameter></camunda:inputOutput></extensionElements></serviceTask>");
    assertThatThrownBy(() -> engine.getRepositoryService().createDeployment()
        .addString(templated.resourceName(), templated.xml()).deploy())
        .hasMessageContaining("token");
  }

  @Test
  void processesXmlConfiguresThePluginOfAProcessApplicationEngine() {
    URL url = getClass().getResource("/config/processes.xml");
    ProcessEngineXml xml = new ProcessesXmlParser().createParse().sourceUrl(url).execute()
        .getProcessesXml().getProcessEngines().get(0);

    ProcessEngine engine = start(xml);
    deployFetchAndUse(engine);
    engine.getRuntimeService().startProcessInstanceByKey("fetchAndUse");

    assertThat(plugin(engine).getResolver().providerIds()).containsExactly("memory");
    assertThat(Consumers.SEEN).containsExactly("sk-processes-xml-91c2");
  }
}
