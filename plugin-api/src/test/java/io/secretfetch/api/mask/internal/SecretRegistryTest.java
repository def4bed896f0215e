package io.secretfetch.api.mask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretRegistryTest {

  private static List<String> secrets(int count) {
    Random random = new Random(1);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder value = new StringBuilder();
      for (int k = 0; k < 12; k++) {
        value.append((char) ('a' + random.nextInt(26)));
      }
      values.add(value.toString());
    }
    return values;
  }

  @Test
  void oneAtATimeRegistrationKeepsFewTiersAndFindsEverySecret() {
    SecretRegistry registry = new SecretRegistry(4, "***");
    List<String> values = secrets(300);
    for (int i = 0; i < values.size(); i++) {
      registry.add(values.get(i));
      CompiledSecrets compiled = registry.current();
      assertTrue(compiled.matchesAnywhere("x " + values.get(i) + " y"));
      assertTrue(compiled.matchesAnywhere(values.get(i / 2)));
      // binary-counter tiers: O(log n) of them
      assertTrue(compiled.tierCount() <= 2 + 2 * (32 - Integer.numberOfLeadingZeros(i + 1)),
          "tiers: " + compiled.tierCount());
    }
    CompiledSecrets compiled = registry.current();
    for (String value : values) {
      assertTrue(compiled.matchesAnywhere("..." + value));
    }
    assertFalse(compiled.matchesAnywhere("0123456789 no secret here"));
  }

  @Test
  void matchingAgainstSeveralTiersConsolidatesThemIntoOne() {
    SecretRegistry registry = new SecretRegistry(4, "***");
    List<String> values = secrets(7);
    for (String value : values) {
      registry.add(value);
      registry.current();
    }
    assertTrue(registry.current().tierCount() > 1);
    String line = "a line of log text without any of the values in it, ".repeat(20);
    for (int i = 0; i < 10_000 && registry.current().tierCount() > 1; i++) {
      assertFalse(registry.current().matchesAnywhere(line));
    }
    CompiledSecrets settled = registry.current();
    assertEquals(1, settled.tierCount());
    for (String value : values) {
      assertTrue(settled.matchesAnywhere(value));
    }
  }

  @Test
  void prefixFilterWithShortWindowAndSuffixForms() {
    SecretRegistry registry = new SecretRegistry(2, "*");
    registry.add("ab");
    registry.add("zzzab");
    CompiledSecrets compiled = registry.current();
    assertTrue(compiled.matchesAnywhere("xab"));
    assertTrue(compiled.matchesAnywhere("zzza b ab"));
    assertFalse(compiled.matchesAnywhere("a"));
    assertFalse(compiled.matchesAnywhere("zzza b a"));
  }
}
