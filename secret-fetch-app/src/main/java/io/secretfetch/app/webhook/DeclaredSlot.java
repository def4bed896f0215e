package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretRef;
import java.util.Objects;

/**
 * A secret slot a deployed flow declares in its bundle manifest, bound to a reference.
 *
 * @param process the process definition key whose bundle declares it
 * @param tenant the tenant the process is deployed for, or null for none
 * @param slot the slot's name
 * @param ref the reference the slot is bound to
 */
public record DeclaredSlot(String process, String tenant, String slot, SecretRef ref) {

  /** Whether this slot belongs to the trigger's process in the trigger's tenant. */
  boolean declaredFor(Trigger trigger) {
    return process.equals(trigger.process()) && Objects.equals(tenant, trigger.tenant());
  }
}
