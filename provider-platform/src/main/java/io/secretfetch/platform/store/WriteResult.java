package io.secretfetch.platform.store;

import io.secretfetch.api.SecretValue;
import java.util.Optional;

/**
 * What a create or rotate returns.
 *
 * @param secret the secret's metadata after the write
 * @param version the version written
 * @param generatedValue the value the store generated, when one was asked for. It is returned
 *     this once and never again through this path: hand it on, then close it.
 */
public record WriteResult(SecretInfo secret, int version, Optional<SecretValue> generatedValue) {}
