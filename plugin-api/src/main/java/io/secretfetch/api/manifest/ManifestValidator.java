package io.secretfetch.api.manifest;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that every slot of a manifest resolves in a target environment, without reading any
 * value: the references are grouped by provider and each provider's batch {@code check} runs once
 * (see {@link SecretResolver#check}). The report lists every problem, one per use of a failing
 * slot, so each names the slot, the BPMN file and element, the code and the remedy.
 */
public final class ManifestValidator {
  private ManifestValidator() {}

  /**
   * Validates {@code manifest} against the secrets {@code context}'s tenant can read.
   *
   * @return every problem found; {@link ValidationReport#isOk()} when all slots resolve
   */
  public static ValidationReport validate(
      SecretManifest manifest, SecretResolver resolver, SecretContext context) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(context, "context");
    List<ValidationProblem> problems = new ArrayList<>(unbound(manifest));
    Set<SecretRef> refs = new LinkedHashSet<>();
    for (ManifestSlot s : manifest.slots()) {
      if (s.ref() != null) {
        refs.add(s.ref());
      }
    }
    Map<SecretRef, SecretCheck> checks = resolver.check(refs, context);
    for (ManifestSlot s : manifest.slots()) {
      SecretCheck check = s.ref() == null ? null : checks.get(s.ref());
      if (check != null && !check.isOk()) {
        problems.addAll(perUsage(s, check.problem()));
      }
    }
    return ValidationReport.of(subject(manifest, context), problems);
  }

  /** The seed's first mistake: a slot with no secret ref. Needs no provider to find. */
  public static List<ValidationProblem> unbound(SecretManifest manifest) {
    List<ValidationProblem> out = new ArrayList<>();
    for (ManifestSlot s : manifest.slots()) {
      if (s.ref() == null) {
        out.addAll(perUsage(s, SecretException.invalidReference("the secret slot has no secret ref",
            "Add \"secretRef\": {\"name\": \"...\"} (and \"provider\") to slot '" + s.slot()
                + "' in " + SecretManifest.FILE_NAME + ", or export the bundle again")));
      }
    }
    return out;
  }

  /** One problem per use of the slot (one without element when the slot is unused). */
  public static List<ValidationProblem> perUsage(ManifestSlot slot, SecretException failure) {
    ValidationProblem p = ValidationProblem.of(slot.slot(), null, failure);
    if (slot.usedBy().isEmpty()) {
      return List.of(p);
    }
    List<ValidationProblem> out = new ArrayList<>();
    for (SlotUsage u : slot.usedBy()) {
      out.add(new ValidationProblem(p.slot(), u.element(), p.ref() == null ? slot.ref() : p.ref(),
          p.code(), p.detail(), p.remedy(), u.file()));
    }
    return out;
  }

  /** {@code bundle 'quickstart' (tenant 'acme')} */
  public static String subject(SecretManifest manifest, SecretContext context) {
    return "bundle '" + manifest.bundle() + "'"
        + (context.tenantId() == null ? "" : " (tenant '" + context.tenantId() + "')");
  }
}
