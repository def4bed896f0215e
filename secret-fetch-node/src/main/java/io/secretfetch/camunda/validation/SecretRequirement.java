package io.secretfetch.camunda.validation;

import io.secretfetch.api.SecretRef;
import java.util.Objects;

/**
 * A secret a process definition names statically: by a Secret Fetch task whose fields are plain
 * text, or by a placeholder.
 *
 * @param ref the reference as written (its provider may be null: the default provider)
 * @param element where it is used: an activity id, {@code activity/input} or {@code
 *     activity/field}
 */
public record SecretRequirement(SecretRef ref, String element) {
  public SecretRequirement {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(element, "element");
  }
}
