package io.secretfetch.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.secretfetch.api.SecretContext;
import io.secretfetch.app.config.AppConfig;
import io.secretfetch.app.config.ConfigLoader;
import io.secretfetch.app.config.StoreSettings;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Its options are inherited: they may be given before or after any subcommand
 * ({@code secret-fetch --data-dir d secrets list} and {@code secret-fetch secrets list --data-dir d}).
 */
@Command(
    name = "secret-fetch",
    scope = ScopeType.INHERIT,
    versionProvider = SecretFetchCommand.Version.class,
    description = "Secret Fetch: secrets for Camunda 7 flows. Manage the platform secret store,"
        + " move flow bundles, run the engine with webhook triggers.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check did not pass (import blocked, validation or audit verification failed)",
      "2:usage: wrong arguments or input",
      "3:not found (secret, version, key, trigger), deleted or expired",
      "4:conflict (exists already, or a concurrent change won)",
      "5:access denied",
      "6:unavailable (database or provider unreachable, throttled): retry",
      "10:configuration error (file, options, master key)",
      "70:internal error (a bug: please report it)"
    },
    footer = "%nDocumentation: the README of secret-fetch-app (configuration, every command).",
    subcommands = {
      SecretsCommand.class,
      KeysCommand.class,
      ApiKeysCommand.class,
      TokensCommand.class,
      AuditCommand.class,
      BundlesCommand.class,
      BindingsCommand.class,
      ServeCommand.class,
      QuickstartCommand.class
    })
public final class SecretFetchCommand implements Runnable {

  /** Output formats of {@code --output}. */
  public enum Format { text, json }

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  // Not inherited: subcommands use --version for a secret's version.
  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version.")
  boolean version;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The configuration file (YAML; see the README). Options given on the command"
          + " line win over it.")
  Path config;

  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "The embedded store: H2 file and master key in DIR (default: .secret-fetch in"
          + " the working directory).")
  Path dataDir;

  @Option(names = "--jdbc-url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "A database store instead (PostgreSQL), e.g. jdbc:postgresql://db/secrets;"
          + " needs --master-key-file or --master-key-env.")
  String jdbcUrl;

  @Option(names = "--jdbc-user", scope = ScopeType.INHERIT, paramLabel = "USER")
  String jdbcUser;

  @Option(names = "--jdbc-password-env", scope = ScopeType.INHERIT, paramLabel = "VAR",
      description = "The environment variable holding the database password.")
  String jdbcPasswordEnv;

  @Option(names = "--master-key-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The master key (Tink JSON keyset) of a database store.")
  Path masterKeyFile;

  @Option(names = "--master-key-env", scope = ScopeType.INHERIT, paramLabel = "VAR",
      description = "The environment variable holding the master key of a database store.")
  String masterKeyEnv;

  @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "TENANT",
      description = "The tenant to act in (default: the default tenant).")
  String tenant;

  @Option(names = "--actor", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "Who acts, for the audit trail (default: cli:<user.name>).")
  String actor;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      description = "text (default) or json.")
  Format output = Format.text;

  @Option(names = "--progress", scope = ScopeType.INHERIT, negatable = true,
      description = "Show a progress bar on stderr for long work (default: only on a terminal).")
  Boolean progress;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log at INFO (default WARN) to stderr; logs are masked.")
  void verbose(boolean on) {
    if (on) {
      setLogLevel(Level.INFO);
    }
  }

  private AppConfig loadedConfig;
  private InputStream stdin = System.in;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** The CommandLine with the exception handlers and exit codes of the executable. */
  public static CommandLine commandLine() {
    return commandLine(System.in);
  }

  /** As {@link #commandLine()}, reading standard input from {@code in} (for tests). */
  public static CommandLine commandLine(InputStream in) {
    SecretFetchCommand root = new SecretFetchCommand();
    root.stdin = in;
    CommandLine cl = new CommandLine(root);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExpandAtFiles(false);   // @FILE is a value source here, never an argument file
    cl.setExecutionExceptionHandler(Failures::handleExecution);
    cl.setParameterExceptionHandler(Failures::handleParameter);
    return cl;
  }

  /** The configuration file's content, or the defaults when no file is given. */
  public AppConfig config() {
    if (loadedConfig == null) {
      loadedConfig = config == null ? AppConfig.defaults() : ConfigLoader.load(config);
    }
    return loadedConfig;
  }

  /** The store settings: command-line options over the configuration file over the defaults. */
  public StoreSettings storeSettings() {
    return config().storeSettings().override(dataDir, jdbcUrl, jdbcUser, jdbcPasswordEnv,
        masterKeyFile, masterKeyEnv);
  }

  /** Opens the store the options and configuration name. */
  public PlatformSecretStore openStore() {
    return storeSettings().open();
  }

  /** The caller: tenant and actor. */
  public SecretContext context() {
    String t = tenant != null ? tenant : config().tenant();
    String who = actor != null ? actor : "cli:" + System.getProperty("user.name", "unknown");
    return new SecretContext(t, who, null, null);
  }

  public Output out() {
    return new Output(spec.commandLine().getOut(), output);
  }

  public InputStream stdin() {
    return stdin;
  }

  public PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A progress bar on stderr: on a terminal, or when forced with --progress. */
  public Progress progress(String label) {
    boolean on = progress != null ? progress : System.console() != null;
    return new Progress(err(), on, label);
  }

  static void setLogLevel(Level level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
    }
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SecretFetchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"secret-fetch " + (v == null ? "(development build)" : v)};
    }
  }

}
