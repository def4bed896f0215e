package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import io.secretfetch.platform.auth.ApiKeyInfo;
import io.secretfetch.platform.auth.NewApiKey;
import io.secretfetch.platform.auth.Scope;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch apikeys ...}: API keys of the HTTPS API. */
@Command(name = "apikeys", description = "Create, list and revoke API keys for the platform"
    + " HTTPS API.")
final class ApiKeysCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "create", description = "Create an API key. The key is shown once (or written"
      + " to --out FILE); the store keeps only its SHA-256.")
  int create(
      @Option(names = "--subject", required = true, description = "Who holds the key; the audit"
          + " actor of its requests.") String subject,
      @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
          description = "secrets:read, secrets:manage, secrets:read:value (comma-separated).")
          List<String> scopes,
      @Option(names = "--expires-in", paramLabel = "DURATION",
          description = "ISO-8601, e.g. P90D; default: never.") Duration expiresIn,
      @Option(names = "--out", paramLabel = "FILE", description = "Write the key to FILE"
          + " (owner-only) instead of standard output.") Path out) {
    Instant expiresAt = expiresIn == null ? null : Instant.now().plus(expiresIn);
    try (PlatformSecretStore store = root.openStore();
        NewApiKey key = store.credentials().createApiKey(root.context(), subject,
            Scope.parseAll(String.join(",", scopes)), expiresAt)) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("info", key.info());
      if (out != null) {
        SecretsCommand.writeOwnerOnly(out, key.reveal().getBytes(StandardCharsets.UTF_8));
        result.put("file", out.toAbsolutePath().toString());
        root.out().print(result, "Created API key " + key.info().keyId() + " for '" + subject
            + "'; the key is in " + out + " (owner-only).");
      } else {
        result.put("key", key.reveal());
        root.out().print(result, "Created API key " + key.info().keyId() + " for '" + subject
            + "'. It is shown this once:\n" + key.reveal() + "\nSend it as 'Authorization: Bearer"
            + " <key>'.");
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "List the tenant's API keys (ids and facts, never keys).")
  int list() {
    try (PlatformSecretStore store = root.openStore()) {
      List<ApiKeyInfo> keys = store.credentials().listApiKeys(root.context());
      List<List<String>> rows = new ArrayList<>();
      for (ApiKeyInfo k : keys) {
        rows.add(List.of(k.keyId(), k.subject(), Scope.format(k.scopes()),
            Output.cell(k.expiresAt()), k.revoked() ? "revoked" : "active"));
      }
      root.out().print(keys, keys.isEmpty() ? "No API keys." : Output.table(
          List.of("KEY ID", "SUBJECT", "SCOPES", "EXPIRES", "STATE"), rows));
    }
    return ExitCodes.OK;
  }

  @Command(name = "revoke", description = "Revoke an API key; it is refused from now on.")
  int revoke(@Parameters(paramLabel = "KEY_ID", description = "The 16 hex digits after sfk_.")
      String keyId) {
    try (PlatformSecretStore store = root.openStore()) {
      ApiKeyInfo info = store.credentials().revokeApiKey(root.context(), keyId);
      root.out().print(info, "Revoked API key " + keyId + ".");
    }
    return ExitCodes.OK;
  }
}
