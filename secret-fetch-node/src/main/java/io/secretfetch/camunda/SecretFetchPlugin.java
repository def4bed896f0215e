package io.secretfetch.camunda;

import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.mask.LogMasking;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.api.mask.SystemStreamMasking;
import io.secretfetch.camunda.internal.CloseWithEngine;
import io.secretfetch.camunda.internal.ExceptionSanitizer;
import io.secretfetch.camunda.internal.MaskingHistoryEventHandler;
import io.secretfetch.camunda.internal.MaskingIncidentHandler;
import io.secretfetch.camunda.internal.PlaintextGuardSerializer;
import io.secretfetch.camunda.internal.SanitizingCommandInterceptor;
import io.secretfetch.camunda.internal.SanitizingDelegateInterceptor;
import io.secretfetch.camunda.internal.SanitizingExternalTaskService;
import io.secretfetch.camunda.internal.SanitizingFailedJobCommandFactory;
import io.secretfetch.camunda.internal.SecretFetchRuntime;
import io.secretfetch.camunda.internal.SecretValueSerializer;
import io.secretfetch.camunda.internal.write.EntityWriteGuard;
import io.secretfetch.camunda.internal.write.GuardedDbEntityManagerFactory;
import io.secretfetch.camunda.validation.SecretFlowValidator;
import io.secretfetch.camunda.variable.SecretValueType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.ExternalTaskServiceImpl;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds Secret Fetch to a Camunda 7 engine: the {@code secret} variable type and its serializer,
 * the guard that refuses plaintext secrets in ordinary variables, the write guard over every entity
 * the engine flushes (secrets masked in prose, refused in identifiers), the deploy-time checks and the
 * pre-run check, placeholder resolution, and the sanitising of failures (exceptions leaving user
 * code and commands, failed jobs, incidents, history events), all bound to one {@link
 * SecretResolver}.
 *
 * <h2>Configuration</h2>
 *
 * Programmatically, with a resolver you build:
 *
 * <pre>
 * config.getProcessEnginePlugins().add(new SecretFetchPlugin(resolver));
 * </pre>
 *
 * As a Spring bean, the same object (the Camunda Spring Boot starter picks up every
 * {@code ProcessEnginePlugin} bean). In {@code bpm-platform.xml} or {@code processes.xml}, by class
 * name and properties, in which case the plugin builds the resolver itself from {@code providers}
 * and closes it when the engine closes (a resolver given to the plugin stays the caller's):
 *
 * <pre>
 * &lt;plugin&gt;
 *   &lt;class&gt;io.secretfetch.camunda.SecretFetchPlugin&lt;/class&gt;
 *   &lt;properties&gt;
 *     &lt;property name="providers"&gt;
 *       platform.type = platform
 *       platform.url  = https://secrets.example.com
 *     &lt;/property&gt;
 *     &lt;property name="defaultProvider"&gt;platform&lt;/property&gt;
 *   &lt;/properties&gt;
 * &lt;/plugin&gt;
 * </pre>
 *
 * <p>{@code providers} holds one {@code ID.KEY = VALUE} per line ({@code #} starts a comment):
 * {@code ID.type} names the provider type (default: the id), every other key becomes a setting of
 * that provider; providers are built in the order their ids first appear. Other properties: {@code
 * defaultProvider}, {@code cacheTtl} (ISO-8601, default {@code PT5M}), {@code preRunCheck}
 * (default true), {@code preRunCheckCacheTtl} (ISO-8601, default {@code PT10S}: how long a
 * successful check is trusted), {@code templateSecretInputs} ({@code templateId=input1,input2;
 * other=...}: the secret inputs of tasks modelled with those element templates), {@code maskLogs}
 * (default true: every Logback appender and java.util.logging handler gets masked output, kept
 * across reconfiguration) and {@code maskSystemStreams} (default true: {@code System.out} and
 * {@code System.err} are masked).
 */
public class SecretFetchPlugin extends AbstractProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(SecretFetchPlugin.class);

  private SecretResolver resolver;
  private String providers;
  private String defaultProvider;
  private Duration cacheTtl = Duration.ofMinutes(5);
  private boolean preRunCheck = true;
  private Duration preRunCheckCacheTtl = Duration.ofSeconds(10);
  private final Map<String, Set<String>> templateSecretInputs = new HashMap<>();
  private boolean maskLogs = true;
  private boolean maskSystemStreams = true;
  private volatile SecretFetchRuntime runtime;
  /** Whether the resolver was built here from {@code providers}: then it closes with the engine. */
  private boolean ownsResolver;

  /** For {@code bpm-platform.xml}: configure through the properties. */
  public SecretFetchPlugin() {}

  /** With a resolver built by the host; the host closes it (the engine's close does not). */
  public SecretFetchPlugin(SecretResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  @SuppressWarnings("rawtypes") // the engine's own API: List<TypedValueSerializer>
  public void preInit(ProcessEngineConfigurationImpl config) {
    ownsResolver = resolver == null;
    SecretResolver r = ownsResolver ? buildResolver() : resolver;
    runtime = new SecretFetchRuntime(r, defaultProvider, preRunCheck, preRunCheckCacheTtl,
        templateSecretInputs, config.getProcessEngineName());
    ExceptionSanitizer sanitizer = new ExceptionSanitizer(r.masker());
    installOutputMasking(r.masker(), config.getProcessEngineName());

    List<TypedValueSerializer> serializers = config.getCustomPreVariableSerializers();
    if (serializers == null) {
      serializers = new ArrayList<>();
      config.setCustomPreVariableSerializers(serializers);
    }
    serializers.add(0, new SecretValueSerializer(runtime));

    if (config.getExternalTaskService().getClass() == ExternalTaskServiceImpl.class) {
      config.setExternalTaskService(new SanitizingExternalTaskService(sanitizer));
    } else {
      log.warn("The engine's external task service is a {}, so workers' failure messages and"
          + " details are masked in incidents and history messages only",
          config.getExternalTaskService().getClass().getName());
    }

    if (config.getCustomPreBPMNParseListeners() == null) {
      config.setCustomPreBPMNParseListeners(new ArrayList<>());
    }
    config.getCustomPreBPMNParseListeners().add(new SecretFlowValidator(runtime));

    SanitizingCommandInterceptor interceptor = new SanitizingCommandInterceptor(sanitizer);
    config.setCustomPostCommandInterceptorsTxRequired(
        prepend(config.getCustomPostCommandInterceptorsTxRequired(), interceptor));
    config.setCustomPostCommandInterceptorsTxRequiresNew(
        prepend(config.getCustomPostCommandInterceptorsTxRequiresNew(),
            new SanitizingCommandInterceptor(sanitizer)));
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl config) {
    ExceptionSanitizer sanitizer = new ExceptionSanitizer(runtime.masker());
    config.getValueTypeResolver().addType(SecretValueType.SECRET);
    PlaintextGuardSerializer.guardAll(config, sanitizer);
    GuardedDbEntityManagerFactory.install(config,
        new EntityWriteGuard(sanitizer.detector(), config.getDefaultCharset()));
    if (ownsResolver) {
      config.setCommandExecutorSchemaOperations(new CloseWithEngine(
          config.getCommandExecutorSchemaOperations(), runtime.resolver(),
          "the Secret Fetch resolver of engine '" + config.getProcessEngineName() + "'"));
    }
    if (!(config.getDelegateInterceptor() instanceof SanitizingDelegateInterceptor)) {
      config.setDelegateInterceptor(
          new SanitizingDelegateInterceptor(config.getDelegateInterceptor(), sanitizer));
    }
    if (!(config.getFailedJobCommandFactory() instanceof SanitizingFailedJobCommandFactory)) {
      config.setFailedJobCommandFactory(
          new SanitizingFailedJobCommandFactory(config.getFailedJobCommandFactory(), sanitizer));
    }
    Map<String, IncidentHandler> handlers = config.getIncidentHandlers();
    if (handlers != null) {
      handlers.replaceAll((type, h) ->
          h instanceof MaskingIncidentHandler ? h : new MaskingIncidentHandler(h, sanitizer));
    }
    if (config.getHistoryEventHandler() != null
        && !(config.getHistoryEventHandler() instanceof MaskingHistoryEventHandler)) {
      config.setHistoryEventHandler(
          new MaskingHistoryEventHandler(config.getHistoryEventHandler(), sanitizer));
    }
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    log.info("Secret Fetch is active on engine '{}' (providers {}, default provider '{}',"
            + " pre-run check {})", engine.getName(), runtime.resolver().providerIds(),
        defaultProvider != null ? defaultProvider : runtime.resolver().defaultProvider(),
        preRunCheck ? "on" : "off");
  }

  /** The engine-side state, once the engine is configured; null before. */
  public SecretFetchRuntime runtime() {
    return runtime;
  }

  /** The resolver in use: the one given, or the one built from {@code providers}. */
  public SecretResolver getResolver() {
    return runtime != null ? runtime.resolver() : resolver;
  }

  public void setResolver(SecretResolver resolver) {
    this.resolver = resolver;
  }

  public SecretFetchPlugin resolver(SecretResolver resolver) {
    setResolver(resolver);
    return this;
  }

  /** Provider definitions, one {@code ID.KEY = VALUE} per line; see the class comment. */
  public void setProviders(String providers) {
    this.providers = providers;
  }

  /** The provider of Secret Fetch tasks and placeholders that name none. */
  public void setDefaultProvider(String defaultProvider) {
    this.defaultProvider = defaultProvider == null || defaultProvider.isBlank()
        ? null : defaultProvider.trim();
  }

  public SecretFetchPlugin defaultProvider(String id) {
    setDefaultProvider(id);
    return this;
  }

  /** How long a resolved secret is cached when the plugin builds the resolver (ISO-8601). */
  public void setCacheTtl(String iso) {
    this.cacheTtl = duration("cacheTtl", iso);
  }

  /** Whether starting a process checks every secret it names first (default true). */
  public void setPreRunCheck(boolean preRunCheck) {
    this.preRunCheck = preRunCheck;
  }

  public SecretFetchPlugin preRunCheck(boolean on) {
    setPreRunCheck(on);
    return this;
  }

  /** How long a successful pre-run check of a secret is trusted (ISO-8601; zero: never). */
  public void setPreRunCheckCacheTtl(String iso) {
    this.preRunCheckCacheTtl = duration("preRunCheckCacheTtl", iso);
  }

  public SecretFetchPlugin preRunCheckCacheTtl(Duration ttl) {
    this.preRunCheckCacheTtl = ttl;
    return this;
  }

  /** {@code templateId=input1,input2;other=input3}: the secret inputs of element templates. */
  public void setTemplateSecretInputs(String spec) {
    templateSecretInputs.clear();
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw configuration("templateSecretInputs entry '" + entry.trim()
            + "' is not templateId=input1,input2");
      }
      Set<String> names = new LinkedHashSet<>();
      for (String n : entry.substring(eq + 1).split(",")) {
        if (!n.isBlank()) {
          names.add(n.trim());
        }
      }
      templateSecretInputs.put(entry.substring(0, eq).trim(), names);
    }
  }

  /** Declares the secret inputs of tasks modelled with element template {@code templateId}. */
  public SecretFetchPlugin templateSecretInputs(String templateId, Set<String> inputs) {
    templateSecretInputs.put(templateId, Set.copyOf(inputs));
    return this;
  }

  /** Whether the plugin masks every log line of the application (default true). */
  public void setMaskLogs(boolean maskLogs) {
    this.maskLogs = maskLogs;
  }

  public SecretFetchPlugin maskLogs(boolean on) {
    setMaskLogs(on);
    return this;
  }

  /** Whether the plugin masks {@code System.out} and {@code System.err} (default true). */
  public void setMaskSystemStreams(boolean maskSystemStreams) {
    this.maskSystemStreams = maskSystemStreams;
  }

  public SecretFetchPlugin maskSystemStreams(boolean on) {
    setMaskSystemStreams(on);
    return this;
  }

  /**
   * The output guard's log part, before the engine logs anything: the masking stays for as long as
   * the masker is reachable (the installations hold it weakly; Camunda gives a plugin no close
   * hook), and a second engine with the same masker adds nothing.
   */
  private void installOutputMasking(SecretMasker masker, String engineName) {
    if (maskLogs) {
      log.info("Secret Fetch masks what engine '{}' and the application log through {}",
          engineName, LogMasking.install(masker).covered());
    } else {
      log.info("Log masking is off for engine '{}' (maskLogs=false)", engineName);
    }
    if (maskSystemStreams) {
      SystemStreamMasking.installOnce(masker);
    }
  }

  private SecretResolver buildResolver() {
    if (providers == null || providers.isBlank()) {
      throw configuration("no resolver was given and the property 'providers' is empty");
    }
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    int lineNo = 0;
    for (String raw : providers.split("\\R")) {
      lineNo++;
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      int dot = line.indexOf('.');
      if (eq < 0 || dot < 0 || dot > eq) {
        throw configuration("line " + lineNo + " of 'providers' is not ID.KEY = VALUE");
      }
      String id = line.substring(0, dot).trim();
      String key = line.substring(dot + 1, eq).trim();
      settings.computeIfAbsent(id, k -> new LinkedHashMap<>())
          .put(key, line.substring(eq + 1).trim());
    }
    SecretResolver.Builder b = SecretResolver.builder()
        .defaultTtl(cacheTtl)
        .classLoader(SecretFetchPlugin.class.getClassLoader());
    settings.forEach((id, s) -> {
      Map<String, String> copy = new LinkedHashMap<>(s);
      String type = copy.remove("type");
      b.provider(new ProviderConfig(id, type, copy));
    });
    if (defaultProvider != null) {
      b.defaultProvider(defaultProvider);
    }
    return b.build();
  }

  private static List<CommandInterceptor> prepend(List<CommandInterceptor> list,
      CommandInterceptor interceptor) {
    List<CommandInterceptor> out = new ArrayList<>();
    out.add(interceptor);
    if (list != null) {
      out.addAll(list);
    }
    return out;
  }

  private static Duration duration(String property, String iso) {
    try {
      return Duration.parse(iso.trim());
    } catch (DateTimeParseException e) {
      throw configuration("property '" + property + "' is not an ISO-8601 duration such as PT5M");
    }
  }

  private static SecretException configuration(String detail) {
    return SecretException.configuration("SecretFetchPlugin: " + detail,
        "Correct the plugin's configuration (see the SecretFetchPlugin documentation)");
  }
}
