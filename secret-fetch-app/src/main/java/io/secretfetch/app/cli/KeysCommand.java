package io.secretfetch.app.cli;

import io.secretfetch.app.ExitCodes;
import io.secretfetch.app.config.StoreSettings;
import io.secretfetch.platform.crypto.MasterKey;
import io.secretfetch.platform.store.MasterKeyRotation;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.ReencryptResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code secret-fetch keys ...}: master and tenant key rotation. */
@Command(name = "keys", description = "Rotate the master key or a tenant key; re-encrypt values.")
final class KeysCommand {
  @ParentCommand SecretFetchCommand root;

  @Command(name = "rotate-master", description = "Add a new master key, re-wrap every tenant"
      + " keyset with it (values are not touched), then drop the old key from the key file."
      + " Safe to re-run after an interruption.")
  int rotateMaster() {
    StoreSettings settings = root.storeSettings();
    Path keyFile = settings.effectiveMasterKeyFile();
    if (keyFile == null) {
      throw new CliException(ExitCodes.CONFIGURATION, "the master key is held in an environment"
          + " variable, which this command cannot update",
          "Rotate with a key file (--master-key-file FILE), or rotate in code as the"
              + " provider-platform README shows and update the variable yourself.");
    }
    if (!Files.isRegularFile(keyFile)) {
      throw new CliException(ExitCodes.CONFIGURATION, "the master key file " + keyFile
          + " does not exist", "Point --data-dir or --master-key-file at the store's key.");
    }
    try (PlatformSecretStore store = root.openStore();
        Progress bar = root.progress("Re-wrapping tenant keysets")) {
      MasterKey next = MasterKey.fromFile(keyFile).withNewPrimaryKey();
      write(next, keyFile);                                    // save first: a crash keeps both keys
      MasterKeyRotation r = store.rotateMasterKey(next,
          (tenant, done, total) -> bar.update(done, total));
      write(next.retainOnly(store.masterKeyIdsInUse()), keyFile);
      bar.close();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rotation", r);
      result.put("keyFile", keyFile.toString());
      root.out().print(result, "Master key rotated: primary key " + r.newPrimaryKeyId() + ", "
          + r.tenantsRewrapped() + " tenant keyset(s) re-wrapped (" + r.tenantsAlreadyCurrent()
          + " already current), " + r.storeKeysRewrapped() + " store key(s). Key file: "
          + keyFile + ". Back it up now.");
    }
    return ExitCodes.OK;
  }

  @Command(name = "rotate-tenant", description = "Add a new primary key to the tenant's keyset."
      + " New versions use it; run 'keys reencrypt' to move old versions onto it.")
  int rotateTenant() {
    try (PlatformSecretStore store = root.openStore()) {
      int id = store.rotateTenantKey(root.context());
      root.out().print(Map.of("primaryKeyId", id), "Tenant key rotated: new primary key " + id
          + ". Next: secret-fetch keys reencrypt");
    }
    return ExitCodes.OK;
  }

  @Command(name = "reencrypt", description = "Re-encrypt every stored version of the tenant"
      + " under its primary key, then retire unused keys. Safe while serving; safe to re-run.")
  int reencrypt(@Option(names = "--batch-size", defaultValue = "500",
      description = "Versions per transaction (default 500).") int batchSize) {
    try (PlatformSecretStore store = root.openStore();
        Progress bar = root.progress("Re-encrypting versions")) {
      ReencryptResult r = store.reencrypt(root.context(), batchSize, bar::update);
      bar.close();
      root.out().print(r, "Re-encrypted " + r.versionsReencrypted() + " version(s); retired "
          + r.keysRetired() + " key(s).");
    }
    return ExitCodes.OK;
  }

  private static void write(MasterKey key, Path file) {
    try {
      key.writeTo(file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIGURATION, "the master key file " + file
          + " cannot be written (" + e.getClass().getSimpleName() + ")",
          "Make the file writable and run 'keys rotate-master' again; nothing was re-wrapped"
              + " with a key that is not saved.");
    }
  }
}
