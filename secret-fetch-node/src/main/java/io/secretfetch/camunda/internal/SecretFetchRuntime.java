package io.secretfetch.camunda.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.SecretValue;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.camunda.SecretFetchPlugin;
import io.secretfetch.camunda.placeholder.Placeholders;
import io.secretfetch.camunda.placeholder.Placeholders.Placeholder;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import org.camunda.bpm.engine.impl.cfg.CompositeProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * What one engine's Secret Fetch parts share: the resolver, its masker and the options of the
 * plugin. One per engine; found from engine code through {@link #current()}.
 */
public final class SecretFetchRuntime {
  private final SecretResolver resolver;
  private final SecretMasker masker;
  private final String defaultProvider;
  private final boolean preRunCheck;
  private final Duration preRunCheckCacheTtl;
  private final Cache<PreRunKey, Boolean> preRunOk;
  private final Map<String, Set<String>> templateSecretInputs;
  private final String engineName;
  /** Values rendered from text around placeholders: usable in memory, never stored. */
  private final Set<SecretValue> rendered = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  private record PreRunKey(String tenantId, SecretRef ref) {}

  public SecretFetchRuntime(
      SecretResolver resolver,
      String defaultProvider,
      boolean preRunCheck,
      Duration preRunCheckCacheTtl,
      Map<String, Set<String>> templateSecretInputs,
      String engineName) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.masker = resolver.masker();
    this.defaultProvider = defaultProvider;
    this.preRunCheck = preRunCheck;
    this.preRunCheckCacheTtl = preRunCheckCacheTtl;
    this.preRunOk =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(preRunCheckCacheTtl)
            .executor(Runnable::run)
            .build();
    this.templateSecretInputs = Map.copyOf(templateSecretInputs);
    this.engineName = engineName;
  }

  /**
   * The runtime of the engine whose command is running on this thread.
   *
   * @throws SecretException {@code CONFIGURATION} when that engine has no {@link SecretFetchPlugin}
   */
  public static SecretFetchRuntime current() {
    ProcessEngineConfigurationImpl config = Context.getProcessEngineConfiguration();
    SecretFetchRuntime found = config == null ? null : find(config.getProcessEnginePlugins());
    if (found != null) {
      return found;
    }
    throw SecretException.configuration(
        "the process engine " + (config == null ? "(none: no engine command is running)"
            : "'" + config.getProcessEngineName() + "'") + " has no SecretFetchPlugin",
        "Register io.secretfetch.camunda.SecretFetchPlugin with the engine (programmatically,"
            + " in bpm-platform.xml or processes.xml, or as a Spring bean)");
  }

  /** The runtime of {@code config}'s SecretFetchPlugin, or null when it has none. */
  public static SecretFetchRuntime of(ProcessEngineConfigurationImpl config) {
    return find(config.getProcessEnginePlugins());
  }

  /**
   * The runtime of the first configured SecretFetchPlugin among {@code plugins}, looking inside
   * composites: the Camunda Spring Boot starter registers its plugin beans as one {@link
   * CompositeProcessEnginePlugin}.
   */
  private static SecretFetchRuntime find(List<ProcessEnginePlugin> plugins) {
    if (plugins == null) {
      return null;
    }
    for (ProcessEnginePlugin plugin : plugins) {
      if (plugin instanceof SecretFetchPlugin p && p.runtime() != null) {
        return p.runtime();
      }
      if (plugin instanceof CompositeProcessEnginePlugin composite) {
        SecretFetchRuntime nested = find(composite.getPlugins());
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }

  public SecretResolver resolver() {
    return resolver;
  }

  public SecretMasker masker() {
    return masker;
  }

  public boolean preRunCheck() {
    return preRunCheck;
  }

  /** How long a successful pre-run check of a secret is trusted. */
  public Duration preRunCheckCacheTtl() {
    return preRunCheckCacheTtl;
  }

  /** Secret input names declared by an element template, by template id. */
  public Map<String, Set<String>> templateSecretInputs() {
    return templateSecretInputs;
  }

  /** The reference with the configured default provider filled in when it names none. */
  public SecretRef withDefaultProvider(SecretRef ref) {
    if (ref.provider() != null) {
      return ref;
    }
    String id = defaultProvider != null ? defaultProvider : resolver.defaultProvider();
    return id == null ? ref : ref.withProvider(id);
  }

  /** Who asks: the tenant of the process instance, the authenticated user or the engine. */
  public SecretContext context(String tenantId, String processInstanceId, String activityId) {
    String actor = null;
    CommandContext cc = Context.getCommandContext();
    if (cc != null) {
      actor = cc.getAuthenticatedUserId();
    }
    if (actor == null) {
      actor = "camunda-engine:" + engineName;
    }
    return new SecretContext(tenantId, actor, processInstanceId, activityId);
  }

  public SecretValue resolve(SecretRef ref, SecretContext context) {
    return resolver.resolve(withDefaultProvider(ref), context);
  }

  /**
   * Resolves the placeholders in {@code text} and returns the text with each replaced by its
   * secret, as a secret itself. A text that is exactly one placeholder yields that secret; any
   * other text yields a value that lives in memory only (storing it as a variable is refused).
   */
  public SecretValue render(String text, List<Placeholder> placeholders, SecretContext context) {
    if (Placeholders.isSingle(text, placeholders)) {
      return resolve(placeholders.get(0).ref(), context);
    }
    StringBuilder sb = new StringBuilder(text.length() + 32);
    SecretValue first = null;
    int at = 0;
    try {
      for (Placeholder p : placeholders) {
        sb.append(text, at, p.start());
        try (SecretValue v = resolve(p.ref(), context)) {
          if (first == null) {
            first = v;
          }
          sb.append(v.reveal());
        }
        at = p.end();
      }
      sb.append(text, at, text.length());
      masker.register(sb);
      SecretValue out = SecretValue.ofText(first.metadata(), CharBuffer.wrap(sb));
      rendered.add(out);
      return out;
    } finally {
      for (int i = 0; i < sb.length(); i++) {
        sb.setCharAt(i, '\0');
      }
    }
  }

  /** Whether {@code value} was rendered from a text with placeholders (so it must not be stored). */
  public boolean isRendered(SecretValue value) {
    return rendered.contains(value);
  }

  /** Whether a check of {@code ref} for {@code tenantId} succeeded recently. */
  public boolean recentlyChecked(String tenantId, SecretRef ref) {
    return preRunOk.getIfPresent(new PreRunKey(tenantId, ref)) != null;
  }

  public void checkedOk(String tenantId, SecretRef ref) {
    preRunOk.put(new PreRunKey(tenantId, ref), Boolean.TRUE);
  }
}
