package io.secretfetch.api.manifest;

import io.secretfetch.api.SecretRef;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One secret a bundle needs: the slot's name (what operators bind), a label for people, the secret
 * reference the slot is bound to, and where the bundle uses it. Holds no value.
 *
 * @param slot the slot name: a letter or digit, then letters, digits, {@code . _ -}; at most 128
 * @param label a human-readable name, or null
 * @param ref the secret the slot is bound to (a null provider means the target's default
 *     provider), or null when the manifest omits it: a mistake the validator reports
 * @param usedBy where the bundle uses the slot; sorted, without repeats
 */
public record ManifestSlot(String slot, String label, SecretRef ref, List<SlotUsage> usedBy) {

  public ManifestSlot {
    Objects.requireNonNull(slot, "slot");
    usedBy = List.copyOf(new TreeSet<>(usedBy));
  }

  /** A copy with another label. */
  public ManifestSlot withLabel(String newLabel) {
    return new ManifestSlot(slot, newLabel, ref, usedBy);
  }
}
