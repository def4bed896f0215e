package io.secretfetch.api.mask;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Placeholder for the one-pass masker (issue 3 replaces this whole file). Keeps the API the
 * resolver calls: {@link #register(CharSequence)} and {@link #mask(CharSequence)}.
 */
public final class SecretMasker {
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  public boolean register(CharSequence secret) {
    if (secret.length() < 4) {
      return false;
    }
    secrets.add(secret.toString());
    return true;
  }

  public String mask(CharSequence text) {
    String out = text.toString();
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }
}
