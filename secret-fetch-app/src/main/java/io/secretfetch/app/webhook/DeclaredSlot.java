package io.secretfetch.app.webhook;

import io.secretfetch.api.SecretRef;

/**
 * A secret slot a deployed flow declares in its bundle manifest, bound to a reference.
 *
 * @param process the process definition key whose bundle declares it
 * @param slot the slot's name
 * @param ref the reference the slot is bound to
 */
public record DeclaredSlot(String process, String slot, SecretRef ref) {}
