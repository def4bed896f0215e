package io.secretfetch.camunda.bundle;

import io.secretfetch.api.SecretRef;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.SlotUsage;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.camunda.validation.BpmnSecretScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a bundle's manifest from its BPMN files: every secret named by a Secret Fetch task, a
 * {@code {{secrets...}}} placeholder or a secret input, found by the same scanner deployment uses.
 *
 * <p><b>Slots.</b> Each distinct secret ref (as written: provider, name, version, field) is one
 * slot. A ref that a slot of the bundle's existing manifest is bound to keeps that slot's name and
 * label, so operators may rename slots and edit labels and re-export. A new ref gets its secret
 * name as slot name (characters outside {@code A-Z a-z 0-9 . _ -} become {@code -}); if that name
 * is taken, it is prefixed with the provider, then suffixed {@code -2}, {@code -3}, ... Its label
 * is the name of the first activity using it, if it has one. The output is deterministic.
 */
public final class BundleExporter {
  private final BpmnSecretScanner scanner;

  /** An exporter for BPMN whose secret inputs are declared by {@code @SecretInput} or properties. */
  public BundleExporter() {
    this(Map.of());
  }

  /**
   * @param templateSecretInputs secret inputs declared by element templates, by template id (as
   *     configured on the plugin)
   */
  public BundleExporter(Map<String, Set<String>> templateSecretInputs) {
    this.scanner = new BpmnSecretScanner(templateSecretInputs);
  }

  /**
   * Exports the manifest of the bundle at {@code bundle} (a folder or zip), keeping the slot names
   * and labels of its existing manifest where refs match. Writes nothing.
   *
   * @throws io.secretfetch.api.manifest.ManifestException when a BPMN file or the existing
   *     manifest is malformed
   */
  public ExportResult export(Path bundle) throws IOException {
    return export(Bundle.open(bundle));
  }

  /** Exports the manifest of a bundle already read. */
  public ExportResult export(Bundle bundle) {
    Objects.requireNonNull(bundle, "bundle");
    BundleScan scan = scan(bundle);
    SecretManifest previous = bundle.manifest().orElse(null);
    Map<SecretRef, List<BundleScan.Use>> byRef = new LinkedHashMap<>();
    scan.uses().stream()
        .sorted(Comparator.comparing((BundleScan.Use u) -> u.file()).thenComparing(u -> u.element()))
        .forEach(u -> byRef.computeIfAbsent(u.ref(), r -> new ArrayList<>()).add(u));

    Set<String> taken = new HashSet<>();
    List<ManifestSlot> slots = new ArrayList<>();
    List<SecretRef> fresh = new ArrayList<>();
    for (Map.Entry<SecretRef, List<BundleScan.Use>> e : byRef.entrySet()) {
      ManifestSlot kept = previous == null ? null : previous.slotOf(e.getKey()).orElse(null);
      if (kept != null && taken.add(kept.slot())) {
        slots.add(new ManifestSlot(kept.slot(), kept.label(), e.getKey(), usages(e.getValue())));
      } else {
        fresh.add(e.getKey());
      }
    }
    fresh.sort(Comparator.comparing(SecretRef::toString));
    for (SecretRef ref : fresh) {
      List<BundleScan.Use> uses = byRef.get(ref);
      String label = uses.stream().map(BundleScan.Use::activityName).filter(Objects::nonNull)
          .findFirst().orElse(null);
      slots.add(new ManifestSlot(slotName(ref, taken), label, ref, usages(uses)));
    }
    SecretManifest manifest = SecretManifest.of(bundle.name(), slots);
    return new ExportResult(manifest,
        ValidationReport.of("bundle '" + bundle.name() + "'", scan.problems()));
  }

  BundleScan scan(Bundle bundle) {
    return BundleScan.of(bundle, scanner);
  }

  private static List<SlotUsage> usages(List<BundleScan.Use> uses) {
    return uses.stream().map(u -> new SlotUsage(u.file(), u.element())).toList();
  }

  private static String slotName(SecretRef ref, Set<String> taken) {
    String base = sanitize(ref.name());
    if (taken.add(base)) {
      return base;
    }
    String prefixed = ref.provider() == null ? base : sanitize(ref.provider() + "-" + ref.name());
    if (taken.add(prefixed)) {
      return prefixed;
    }
    for (int i = 2; ; i++) {
      String numbered = truncate(prefixed, 120) + "-" + i;
      if (taken.add(numbered)) {
        return numbered;
      }
    }
  }

  private static String sanitize(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[._-]+", "");
    return truncate(s.isEmpty() ? "secret" : s, 128);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
