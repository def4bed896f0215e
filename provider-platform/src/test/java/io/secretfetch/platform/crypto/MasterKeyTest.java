package io.secretfetch.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  @TempDir Path tmp;

  @Test
  void printsKeyIdsOnly() {
    MasterKey key = MasterKey.generate();
    String json = key.exportCleartextKeysetJson();
    String material = json.substring(json.indexOf("\"value\"") + 9, json.indexOf("\"value\"") + 40);
    assertThat(key.toString()).startsWith("MasterKey[primary=").doesNotContain(material);
  }

  @Test
  void writesAndReadsAnOwnerOnlyKeyFile() throws Exception {
    MasterKey key = MasterKey.generate().withNewPrimaryKey();
    Path file = tmp.resolve("keys/master.json");
    key.writeTo(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    MasterKey read = MasterKey.fromFile(file);
    assertThat(read.keyIds()).isEqualTo(key.keyIds()).hasSize(2);
    assertThat(read.primaryKeyId()).isEqualTo(key.primaryKeyId());
  }

  @Test
  void rejectsTextThatIsNotAKeysetWithoutQuotingIt() {
    SecretException e = catchThrowableOfType(SecretException.class,
        () -> MasterKey.fromKeysetJson("{\"not-a-keyset-but-a-paste\": 1}", "test input"));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("test input does not hold a valid Tink JSON keyset")
        .doesNotContain("not-a-keyset-but-a-paste");
  }

  @Test
  void refusesAKeysetThatGivesAKeyTwiceNamingItNeverTheKeyMaterial() {
    MasterKey two = MasterKey.generate().withNewPrimaryKey();
    String json = two.exportCleartextKeysetJson();
    String material = json.substring(json.indexOf("\"value\"") + 9, json.indexOf("\"value\"") + 40);
    // Tink alone would keep the last primaryKeyId: the other key would silently become primary.
    String other = Integer.toUnsignedString(two.keyIds().stream()
        .filter(id -> id != two.primaryKeyId()).findFirst().orElseThrow());
    String doubled = json.replaceFirst("\\{", "{\"primaryKeyId\": " + other + ",");
    SecretException e = catchThrowableOfType(SecretException.class,
        () -> MasterKey.fromKeysetJson(doubled, "test input"));
    assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
    assertThat(e.getMessage()).contains("test input gives the key 'primaryKeyId' at /primaryKeyId"
        + " twice").doesNotContain(material);
    String keyTwice = json.replaceFirst("\"value\"", "\"value\": \"x\", \"value\"");
    assertThat(catchThrowableOfType(SecretException.class,
        () -> MasterKey.fromKeysetJson(keyTwice, "test input")).getMessage())
        .contains("'value' at /key/0/keyData/value").doesNotContain(material);
  }

  @Test
  void loadOrCreateKeepsAnExistingKey() {
    Path file = tmp.resolve("k.json");
    MasterKey first = MasterKey.loadOrCreate(file);
    MasterKey second = MasterKey.loadOrCreate(file);
    assertThat(second.keyIds()).isEqualTo(first.keyIds());
  }
}
