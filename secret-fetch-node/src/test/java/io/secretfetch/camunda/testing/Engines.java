package io.secretfetch.camunda.testing;

import io.secretfetch.api.SecretResolver;
import io.secretfetch.camunda.SecretFetchPlugin;
import java.util.ArrayList;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;

/** Real engines on in-memory H2 for tests: history full, job executor off (tests drive jobs). */
public final class Engines {
  private Engines() {}

  public static String newH2Url() {
    return "jdbc:h2:mem:sf-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  public static ProcessEngineConfigurationImpl config(String name, String jdbcUrl) {
    StandaloneInMemProcessEngineConfiguration c = new StandaloneInMemProcessEngineConfiguration();
    c.setProcessEngineName(name);
    c.setJdbcUrl(jdbcUrl);
    c.setJdbcUsername("sa");
    c.setJdbcPassword("");
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    c.setJobExecutorActivate(false);
    c.setEnforceHistoryTimeToLive(false);
    c.setMetricsEnabled(false);
    c.setProcessEnginePlugins(new ArrayList<>());
    return c;
  }

  public static ProcessEngine withPlugin(String name, String jdbcUrl, SecretResolver resolver) {
    return withPlugin(name, jdbcUrl, new SecretFetchPlugin(resolver));
  }

  public static ProcessEngine withPlugin(String name, String jdbcUrl, SecretFetchPlugin plugin) {
    ProcessEngineConfigurationImpl c = config(name, jdbcUrl);
    c.getProcessEnginePlugins().add(plugin);
    return c.buildProcessEngine();
  }
}
