package io.secretfetch.camunda.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.SecretManifest;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleExporterTest {
  @TempDir Path dir;

  @Test
  void reExportKeepsOperatorSlotNamesAndLabelsWhereRefsMatchAndIsByteIdentical() throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("billing"));
    Files.writeString(bundle.resolve("billing.bpmn"), AbstractBundleRoundTripTest.BPMN);
    SecretManifest first = new BundleExporter().export(bundle).manifest();

    List<ManifestSlot> edited = new ArrayList<>();
    for (ManifestSlot s : first.slots()) {
      edited.add(s.slot().equals("billing-api-key")
          ? new ManifestSlot("partner-api-key", "Partner API key", s.ref(), s.usedBy()) : s);
    }
    SecretManifest.of(first.bundle(), edited).write(bundle.resolve(SecretManifest.FILE_NAME));
    // The webhook task now reads another secret: its slot is new, the edited one stays.
    Files.writeString(bundle.resolve("billing.bpmn"),
        AbstractBundleRoundTripTest.BPMN.replace("billing/webhook", "billing/hook2"));

    SecretManifest again = new BundleExporter().export(bundle).manifest();
    assertThat(again.slots()).extracting(s -> s.slot() + "|" + s.label() + "|" + s.ref())
        .containsExactly("billing-hook2|Webhook secret|platform:billing/hook2",
            "partner-api-key|Partner API key|billing/api-key");
    assertThat(new BundleExporter().export(bundle).manifest().toJson()).isEqualTo(again.toJson());
  }

  @Test
  void aZipBundleExportsLikeTheFolderAndCollidingNamesGetTheProviderPrefix() throws Exception {
    String bpmn = AbstractBundleRoundTripTest.BPMN
        .replace("<camunda:field name=\"provider\" stringValue=\"platform\"/>",
            "<camunda:field name=\"provider\" stringValue=\"vault\"/>")
        .replace("billing/webhook", "billing/api-key");
    Path zip = dir.resolve("billing.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("flows/billing.bpmn"));
      z.write(bpmn.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    SecretManifest m = new BundleExporter().export(zip).manifest();
    assertThat(m.bundle()).isEqualTo("billing");
    assertThat(m.slots()).extracting(s -> s.slot() + "|" + s.ref() + "|" + s.usedBy())
        .containsExactly("billing-api-key|billing/api-key|[flows/billing.bpmn#fetchKey]",
            "vault-billing-api-key|vault:billing/api-key|[flows/billing.bpmn#fetchHook]");
  }
}
