package io.secretfetch.app.cli;

import com.nimbusds.jose.jwk.ECKey;
import io.secretfetch.app.ExitCodes;
import io.secretfetch.platform.auth.ServiceTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch tokens ...}: workers' signed service tokens. */
@Command(name = "tokens", description = "Worker keys and the short-lived service tokens that"
    + " read values over the HTTPS API.")
final class TokensCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "worker-key", description = "Generate a worker signing key (EC P-256 JWK):"
      + " the private key to FILE (owner-only), the public key to FILE.pub for the server's"
      + " api.trusted-workers.")
  int workerKey(
      @Option(names = "--key-id", required = true, paramLabel = "KID") String keyId,
      @Option(names = "--out", required = true, paramLabel = "FILE") Path out) {
    ECKey key = ServiceTokens.generateWorkerKey(keyId);
    Path pub = Path.of(out + ".pub");
    SecretsCommand.writeOwnerOnly(out, key.toJSONString().getBytes(StandardCharsets.UTF_8));
    try {
      Files.writeString(pub, key.toPublicJWK().toJSONString());
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, pub + " cannot be written", "Check the directory.");
    }
    root.out().print(Map.of("keyId", keyId, "privateKey", out.toString(), "publicKey",
        pub.toString()), "Wrote worker key " + keyId + ": private " + out + ", public " + pub
        + ". Trust the public key on the server (api.trusted-workers).");
    return ExitCodes.OK;
  }

  @Command(name = "issue", description = "Mint one signed service token (ES256 JWT) with a"
      + " worker's private key, for GET /api/v1/secrets/{name}/value.")
  int issue(
      @Option(names = "--worker-key-file", required = true, paramLabel = "FILE") Path keyFile,
      @Option(names = "--audience", required = true, description = "The server's audience,"
          + " e.g. https://127.0.0.1:8443.") String audience,
      @Option(names = "--subject", description = "The audit actor; default: the key id.")
          String subject,
      @Option(names = "--lifetime", defaultValue = "PT1M", description = "At most PT5M"
          + " (default PT1M).") Duration lifetime) {
    ECKey key;
    try {
      key = ECKey.parse(Files.readString(keyFile));
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, "the worker key file " + keyFile
          + " does not exist", "Create one with 'secret-fetch tokens worker-key'.");
    } catch (IOException | java.text.ParseException e) {
      throw new CliException(ExitCodes.USAGE, keyFile + " is not a readable EC JWK",
          "Give the private JWK written by 'secret-fetch tokens worker-key'.");
    }
    if (!key.isPrivate()) {
      throw new CliException(ExitCodes.USAGE, keyFile + " holds a public key only",
          "Give the private key file (the one without .pub).");
    }
    if (lifetime.compareTo(ServiceTokens.MAX_LIFETIME) > 0 || lifetime.isNegative()
        || lifetime.isZero()) {
      throw new CliException(ExitCodes.USAGE, "--lifetime " + lifetime + " is out of range",
          "Give a lifetime above zero and at most " + ServiceTokens.MAX_LIFETIME + ".");
    }
    Instant now = Instant.now();
    String token = ServiceTokens.mint(key, subject != null ? subject : key.getKeyID(), audience,
        root.context().tenantId(), null, null, now, lifetime);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("token", token);
    result.put("expiresAt", now.plus(lifetime));
    root.out().print(result, token);
    return ExitCodes.OK;
  }
}
