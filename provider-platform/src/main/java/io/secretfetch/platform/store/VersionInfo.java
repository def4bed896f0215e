package io.secretfetch.platform.store;

import java.time.Instant;

/**
 * One version of a secret, without its value.
 *
 * @param version the number, from 1, gap-free per secret
 * @param state active, available or destroyed
 * @param createdAt when it was written
 * @param createdBy the actor who wrote it, or null
 * @param destroyedAt when its ciphertext was destroyed, or null
 */
public record VersionInfo(
    int version, VersionState state, Instant createdAt, String createdBy, Instant destroyedAt) {}
