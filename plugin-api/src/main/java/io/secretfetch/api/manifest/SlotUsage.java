package io.secretfetch.api.manifest;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where a bundle uses a slot.
 *
 * @param file the BPMN file, relative to the bundle root, with {@code /} separators
 * @param element the activity id, or {@code activity/input} and {@code activity/field} for a
 *     placeholder in a secret input or field
 */
public record SlotUsage(String file, String element) implements Comparable<SlotUsage> {
  private static final Comparator<SlotUsage> ORDER =
      Comparator.comparing(SlotUsage::file).thenComparing(SlotUsage::element);

  public SlotUsage {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(element, "element");
  }

  @Override
  public int compareTo(SlotUsage other) {
    return ORDER.compare(this, other);
  }

  /** {@code quickstart.bpmn#fetchApiKey} */
  @Override
  public String toString() {
    return file + "#" + element;
  }
}
