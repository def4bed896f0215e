package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up check that a trigger's auth secret is the one its flow declares: when the
 * trigger's process comes with a bundle manifest, the slot the trigger names ({@code auth.slot})
 * must exist there and be bound to the same reference as the trigger's {@code secret-ref}; without
 * {@code auth.slot}, some slot of the process must be bound to that reference. A mismatch is the seeds'
 * "common mistake"; {@code serve} refuses to start, naming both.
 */
public final class TriggerSlotCheck {
  private TriggerSlotCheck() {}

  /**
   * @param slots the slots of the deployed bundles' manifests; a process without a manifest has
   *     none and is not checked
   * @throws SecretException {@code CONFIGURATION} naming every mismatch
   */
  public static void check(List<Trigger> triggers, List<DeclaredSlot> slots,
      SecretResolver resolver) {
    List<String> problems = new ArrayList<>();
    for (Trigger t : triggers) {
      List<DeclaredSlot> ofProcess = slots.stream().filter(s -> s.declaredFor(t)).toList();
      if (ofProcess.isEmpty()) {
        continue;
      }
      SecretRef ref = resolver.normalize(t.secretRef());
      if (t.slot() == null) {
        if (ofProcess.stream().noneMatch(s -> resolver.normalize(s.ref()).equals(ref))) {
          problems.add("trigger '" + t.name() + "' has secret-ref '" + t.secretRef()
              + "', which no slot of process '" + t.process() + "' is bound to (its slots: "
              + ofProcess.stream().map(s -> s.slot() + " -> " + s.ref()).toList() + ")");
        }
        continue;
      }
      DeclaredSlot slot = ofProcess.stream().filter(s -> s.slot().equals(t.slot()))
          .findFirst().orElse(null);
      if (slot == null) {
        problems.add("trigger '" + t.name() + "' names slot '" + t.slot() + "', which the"
            + " bundle of process '" + t.process() + "' does not declare (it declares "
            + ofProcess.stream().map(DeclaredSlot::slot).toList() + ")");
      } else if (!resolver.normalize(slot.ref()).equals(ref)) {
        problems.add("trigger '" + t.name() + "' has secret-ref '" + t.secretRef()
            + "' but slot '" + slot.slot() + "' of process '" + t.process()
            + "' is bound to '" + slot.ref() + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw SecretException.configuration(String.join("; ", problems),
          "Make each trigger's auth.secret-ref the reference its slot is bound to (see"
              + " 'secret-fetch bindings show'), or set auth.slot to the slot it fills.");
    }
  }
}
