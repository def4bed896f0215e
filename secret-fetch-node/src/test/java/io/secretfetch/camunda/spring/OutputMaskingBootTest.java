package io.secretfetch.camunda.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.kit.InMemorySecretProvider;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.camunda.testing.Engines;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A real Spring Boot start with Spring Boot's own default logging (console, and a file through
 * {@code logging.file.name}; no Logback configuration file and nothing masking in it): a user's
 * logger writes a secret the plugin's resolver has resolved, and the file holds {@code ***}, also
 * after Spring Boot's logging system has been cleaned up and initialised again while the engine
 * runs (it stops and resets Logback and configures it programmatically).
 */
class OutputMaskingBootTest {

  static final String SECRET = "boot-" + UUID.randomUUID();
  private static final Logger USER = LoggerFactory.getLogger("io.app.BootUser");

  @TempDir Path dir;

  @AfterAll
  static void restoreTheModulesLoggingConfiguration() throws Exception {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    logback.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(logback);
    joran.doConfigure(OutputMaskingBootTest.class.getResource("/logback-test.xml"));
    logback.start();
  }

  @Test
  void aUsersLoggerIsMaskedInSpringBootsDefaultLoggingAndAfterItIsInitialisedAgain()
      throws Exception {
    Path logFile = dir.resolve("boot.log");
    ClassLoader loader = new WithoutLogbackFiles(getClass().getClassLoader());
    // A Spring Boot context cached by other tests of this JVM has marked Logback initialised, and
    // Spring Boot then leaves it alone; a fresh JVM starts unmarked, as this start must.
    LoggingSystem.get(loader).cleanUp();
    SpringApplication app = new SpringApplication(new DefaultResourceLoader(loader), App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(Map.of("logging.file.name", logFile.toString(),
        "spring.main.banner-mode", "off"));

    try (ConfigurableApplicationContext context = app.run()) {
      USER.info("control {}", SECRET); // not resolved yet: nothing masks it
      context.getBean(SecretResolver.class).resolve("memory:api-key", SecretContext.system());
      USER.info("user logs {}", SECRET);

      LoggingSystem logging = context.getBean(LoggingSystem.class);
      logging.cleanUp();
      logging.beforeInitialize();
      logging.initialize(new LoggingInitializationContext(context.getEnvironment()), null,
          LogFile.get(context.getEnvironment()));
      USER.info("after initialising again {}", SECRET);
    }

    String text = Files.readString(logFile, UTF_8);
    assertThat(text).contains("control " + SECRET);
    String afterControl = text.substring(text.indexOf("control " + SECRET) + 8 + SECRET.length());
    assertThat(afterControl).contains("user logs ***").contains("after initialising again ***")
        .doesNotContain(SECRET);
  }

  /** The application: a resolver and an engine with the plugin, built the way users build them. */
  @Configuration(proxyBeanMethods = false)
  static class App {
    @Bean
    SecretResolver secretResolver() {
      InMemorySecretProvider memory = new InMemorySecretProvider("memory");
      memory.put("api-key", SECRET);
      return SecretResolver.builder().provider(memory).masker(new SecretMasker()).build();
    }

    @Bean(destroyMethod = "close")
    ProcessEngine processEngine(SecretResolver secretResolver) {
      return Engines.withPlugin("boot-output-" + UUID.randomUUID(), Engines.newH2Url(),
          new SecretFetchPlugin(secretResolver).defaultProvider("memory"));
    }
  }

  /** Hides this module's logback-test.xml, so Spring Boot applies its built-in default. */
  private static final class WithoutLogbackFiles extends ClassLoader {
    private static final Set<String> HIDDEN = Set.of("logback-test.xml", "logback.xml",
        "logback-test.groovy", "logback.groovy");

    WithoutLogbackFiles(ClassLoader parent) {
      super(parent);
    }

    @Override
    public URL getResource(String name) {
      return HIDDEN.contains(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return HIDDEN.contains(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }
}
