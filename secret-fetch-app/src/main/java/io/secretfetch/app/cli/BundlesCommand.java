package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import picocli.CommandLine.Command;

/**
 * {@code secret-fetch bundles ...}. SEAM(issue 6): the bundle exporter, validator and importer
 * are being built on branch {@code bundles}; these commands are wired to them once it lands.
 */
@Command(name = "bundles", description = "Export, validate and import flow bundles (BPMN +"
    + " secret-manifest.json).")
final class BundlesCommand {

  @Command(name = "export", description = "Write a bundle's manifest from its BPMN.")
  int export() {
    throw notYet("bundles export");
  }

  @Command(name = "validate", description = "Check a bundle's manifest against this environment.")
  int validate() {
    throw notYet("bundles validate");
  }

  @Command(name = "import", description = "Validate and deploy a bundle; blocked while a secret"
      + " is missing.")
  int importBundle() {
    throw notYet("bundles import");
  }

  static CliException notYet(String command) {
    return new CliException(ExitCodes.USAGE, "'" + command + "' is not available in this build"
        + " (flow bundles, issue 6, are not merged yet)",
        "Use 'secret-fetch quickstart' or deploy BPMN with serve's engine.deploy meanwhile.");
  }
}
