/**
 * The {@code secret} variable type: a {@link io.secretfetch.camunda.variable.SecretTypedValue}
 * whose database form is its reference, never its value.
 */
package io.secretfetch.camunda.variable;
