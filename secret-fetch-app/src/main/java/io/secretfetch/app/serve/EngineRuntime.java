package io.secretfetch.app.serve;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.StoreSettings;
import io.secretfetch.app.webhook.DeclaredSlot;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.platform.bindings.Bindings;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinitionQuery;

/**
 * The store, the resolver over it (the store as provider {@code platform}, plus the configured
 * providers) and the Camunda engine with the Secret Fetch plugin: what {@code serve}, {@code
 * quickstart} and the bundle commands run on. Closes in reverse order.
 */
public record EngineRuntime(
    PlatformSecretStore store, SecretResolver resolver, ProcessEngine engine, String defaultProvider)
    implements AutoCloseable {

  /** The id the platform store serves under. */
  public static final String PLATFORM = "platform";

  /** Opens everything, or nothing: a failure closes what was opened and rethrows. */
  public static EngineRuntime open(AppConfig config, StoreSettings storeSettings, String name,
      boolean jobExecutor) {
    PlatformSecretStore store = storeSettings.open();
    SecretResolver resolver = null;
    try {
      resolver = resolver(config, store);
      AppConfig.Engine e = config.engine();
      String url = e.jdbcUrl() != null ? e.jdbcUrl()
          : Engines.defaultJdbcUrl(storeSettings.effectiveDataDir());
      ProcessEngine engine = Engines.build(name, url, e.jdbcUser(),
          Env.get(e.jdbcPasswordEnv(), "engine.jdbc-password-env"), jobExecutor,
          new SecretFetchPlugin(resolver).defaultProvider(config.defaultProvider()));
      return new EngineRuntime(store, resolver, engine, config.defaultProvider());
    } catch (RuntimeException ex) {
      if (resolver != null) {
        resolver.close();
      }
      store.close();
      throw ex;
    }
  }

  static SecretResolver resolver(AppConfig config, PlatformSecretStore store) {
    SecretResolver.Builder b = SecretResolver.builder()
        .provider(new PlatformSecretProvider(PLATFORM, store, false))
        .defaultProvider(config.defaultProvider());
    config.providers().forEach((id, settings) -> {
      if (PLATFORM.equals(id)) {
        throw SecretException.configuration("providers.platform is"
            + " reserved for the store section", "Configure the store under 'store:', and give"
            + " other providers another id.");
      }
      Map<String, String> rest = new LinkedHashMap<>(settings);
      String type = rest.remove("type");
      b.provider(new ProviderConfig(id, type != null ? type : id, rest));
    });
    return b.build();
  }

  /** Bindings on this store, with the configured default provider. */
  public Bindings bindings() {
    return new Bindings(store, PLATFORM, defaultProvider);
  }

  /**
   * The slots the manifest of a process's latest deployed definition declares, refs completed with
   * the default provider; empty when it was deployed without a manifest (plain BPMN).
   */
  public List<DeclaredSlot> declaredSlots(String processKey, String tenantId) {
    ProcessDefinitionQuery q = engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey(processKey).latestVersion();
    ProcessDefinition def = (tenantId == null ? q.withoutTenantId() : q.tenantIdIn(tenantId))
        .singleResult();
    if (def == null || !engine.getRepositoryService().getDeploymentResourceNames(
        def.getDeploymentId()).contains(SecretManifest.FILE_NAME)) {
      return List.of();
    }
    SecretManifest manifest;
    try (InputStream in = engine.getRepositoryService().getResourceAsStream(
        def.getDeploymentId(), SecretManifest.FILE_NAME)) {
      manifest = SecretManifest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "deployment " + def.getDeploymentId() + "/" + SecretManifest.FILE_NAME);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<DeclaredSlot> out = new ArrayList<>();
    for (ManifestSlot s : manifest.slots()) {
      if (s.ref() != null) {
        out.add(new DeclaredSlot(processKey, tenantId, s.slot(), s.ref().provider() != null ? s.ref()
            : s.ref().withProvider(defaultProvider)));
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      engine.close();   // stops the job executor after its running jobs
    } finally {
      try {
        resolver.close();
      } finally {
        store.close();
      }
    }
  }
}
