package io.secretfetch.camunda;

import io.secretfetch.camunda.testing.Engines;
import java.sql.Connection;
import java.sql.DriverManager;

/** The canary on H2 (in memory). */
class H2CanaryTest extends AbstractCanaryTest {
  private final String url = Engines.newH2Url();

  @Override
  protected String jdbcUrl() {
    return url;
  }

  @Override
  protected String user() {
    return "sa";
  }

  @Override
  protected String password() {
    return "";
  }

  @Override
  protected String schema() {
    return "PUBLIC";
  }

  @Override
  protected Connection connect() throws Exception {
    return DriverManager.getConnection(url, "sa", "");
  }
}
