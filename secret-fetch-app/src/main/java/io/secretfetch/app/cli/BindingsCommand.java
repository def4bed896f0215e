package io.secretfetch.app.cli;

import picocli.CommandLine.Command;

/** {@code secret-fetch bindings ...}. SEAM(issue 6): wired once the bundles branch lands. */
@Command(name = "bindings", description = "Write a bindings template, apply a profile (values or"
    + " generate), show bindings without values.")
final class BindingsCommand {

  @Command(name = "template", description = "Write a profile with one entry per slot, no values.")
  int template() {
    throw BundlesCommand.notYet("bindings template");
  }

  @Command(name = "apply", description = "Store a profile's values (or generate them) under each"
      + " slot's reference.")
  int apply() {
    throw BundlesCommand.notYet("bindings apply");
  }

  @Command(name = "show", description = "List bindings, never values.")
  int show() {
    throw BundlesCommand.notYet("bindings show");
  }
}
