package io.secretfetch.app.serve;

import io.secretfetch.camunda.SecretFetchPlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;

/** Builds the app's Camunda engine: H2 file by default, or the JDBC URL given; with the plugin. */
public final class Engines {
  private Engines() {}

  /** The embedded default: an H2 file {@code engine} beside the store's. */
  public static String defaultJdbcUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("engine").toAbsolutePath()
        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=20000";
  }

  public static ProcessEngine build(String name, String jdbcUrl, String user, String password,
      boolean jobExecutor, SecretFetchPlugin plugin) {
    StandaloneProcessEngineConfiguration c = new StandaloneProcessEngineConfiguration();
    c.setProcessEngineName(name);
    c.setJdbcUrl(jdbcUrl);
    c.setJdbcUsername(user != null ? user : jdbcUrl.startsWith("jdbc:h2:") ? "sa" : null);
    c.setJdbcPassword(password != null ? password : "");
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    c.setJobExecutorActivate(jobExecutor);
    c.setMetricsEnabled(false);
    // Bundles from elsewhere may lack historyTimeToLive; the app does not refuse them for it.
    c.setEnforceHistoryTimeToLive(false);
    c.setProcessEnginePlugins(new ArrayList<>());
    c.getProcessEnginePlugins().add(plugin);
    return c.buildProcessEngine();
  }
}
