package io.secretfetch.camunda.bundle;

import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.ValidationReport;

/**
 * What an export produced.
 *
 * @param manifest the manifest of the bundle's BPMN files; write it with {@link
 *     SecretManifest#write} or {@link SecretManifest#toJson()}
 * @param problems what is wrong in the BPMN itself (a secret value written into a flow
 *     definition, a malformed placeholder, ...): an import of the bundle would be refused while any
 *     remain
 */
public record ExportResult(SecretManifest manifest, ValidationReport problems) {}
