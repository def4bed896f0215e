/**
 * What a flow needs from the secret providers, and what is wrong when it does not resolve: {@link
 * io.secretfetch.api.manifest.ValidationReport} holds every {@link
 * io.secretfetch.api.manifest.ValidationProblem} of a check, each naming the slot, the element
 * that uses it, the code and the remedy. Hosts use it for the pre-run check and bundle import.
 */
package io.secretfetch.api.manifest;
