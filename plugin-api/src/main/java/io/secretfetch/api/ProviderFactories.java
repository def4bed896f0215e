package io.secretfetch.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds provider factories and refuses ambiguity: one factory per type. */
final class ProviderFactories {
  private ProviderFactories() {}

  static Map<String, SecretProviderFactory> discover(
      ClassLoader loader, List<SecretProviderFactory> explicit) {
    Map<String, SecretProviderFactory> byType = new HashMap<>();
    try {
      for (SecretProviderFactory f : ServiceLoader.load(SecretProviderFactory.class, loader)) {
        put(byType, f);
      }
    } catch (ServiceConfigurationError e) {
      throw SecretException.configuration(
          "a secret provider factory could not be loaded: " + e.getMessage(),
          "Check the META-INF/services/io.secretfetch.api.SecretProviderFactory entries on the"
              + " class path",
          e);
    }
    for (SecretProviderFactory f : explicit) {
      put(byType, f);
    }
    return byType;
  }

  private static void put(Map<String, SecretProviderFactory> byType, SecretProviderFactory f) {
    SecretProviderFactory before = byType.putIfAbsent(f.type(), f);
    if (before != null && before.getClass() != f.getClass()) {
      throw SecretException.configuration(
          "two secret provider factories declare the type '" + f.type() + "': "
              + before.getClass().getName() + " and " + f.getClass().getName(),
          "Remove one of them from the class path");
    }
  }
}
