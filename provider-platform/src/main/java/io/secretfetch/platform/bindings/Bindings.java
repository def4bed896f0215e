package io.secretfetch.platform.bindings;

import io.secretfetch.api.SecretCheck;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretResolver;
import io.secretfetch.api.manifest.BindingsProfile;
import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.ManifestSlot;
import io.secretfetch.api.manifest.ManifestValidator;
import io.secretfetch.api.manifest.SecretManifest;
import io.secretfetch.api.manifest.ValidationReport;
import io.secretfetch.platform.provider.PlatformSecretProvider;
import io.secretfetch.platform.store.GeneratedValue;
import io.secretfetch.platform.store.NewSecret;
import io.secretfetch.platform.store.PlatformSecretStore;
import io.secretfetch.platform.store.Rotation;
import io.secretfetch.platform.store.SecretInfo;
import io.secretfetch.platform.store.SecretMaterial;
import io.secretfetch.platform.store.WriteBatch;
import io.secretfetch.platform.store.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The bindings of a bundle's slots to values in the platform store (the seeds' slot/binding
 * model): {@link #template} writes a profile to fill in, {@link #apply} stores a filled profile's
 * values under each slot's ref, {@link #show} lists what is bound. No method returns, logs or
 * prints a value; a value the store generates is wiped as soon as the store returns it.
 *
 * <p>Only slots of the platform provider can be written: AWS Secrets Manager and Vault secrets
 * are managed with those services' own tools.
 */
public final class Bindings {
  private final PlatformSecretStore store;
  private final String providerId;
  private final String defaultProvider;

  /**
   * @param store the store values are written to
   * @param providerId the provider id the store serves under (usually {@code platform})
   * @param defaultProvider the provider refs without one resolve to in the target environment
   */
  public Bindings(PlatformSecretStore store, String providerId, String defaultProvider) {
    this.store = Objects.requireNonNull(store, "store");
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    this.defaultProvider = defaultProvider;
  }

  /** Bindings for a store serving as {@code platform}, also the default provider. */
  public static Bindings of(PlatformSecretStore store) {
    return new Bindings(store, "platform", "platform");
  }

  /** One slot written by {@link #apply}. */
  public record Applied(String slot, SecretRef ref, int version, boolean created) {}

  /**
   * What {@link #apply} did.
   *
   * @param applied each slot written, by slot name
   * @param report the platform slots of the manifest validated again after the writes
   */
  public record ApplyResult(List<Applied> applied, ValidationReport report) {}

  /**
   * One slot as bound now; never a value.
   *
   * @param version the active version, or null when the secret is missing or not in this store
   * @param updatedAt when the secret last changed, or null likewise
   * @param status {@code bound}, {@code missing}, {@code deleted}, {@code no secret ref} or {@code
   *     managed by <provider>}
   */
  public record BindingInfo(String slot, SecretRef ref, String provider, Integer version,
      Instant updatedAt, String status) {}

  /** A profile to fill in: one entry per slot, placeholders instead of values. */
  public static String template(SecretManifest manifest) {
    return BindingsProfile.template(manifest);
  }

  /**
   * Stores each value of {@code profile} under its slot's ref: creates the secret, or rotates it
   * (same ref, new version) when it exists. A {@code generate} entry is drawn by the store. The
   * whole profile is checked before anything is written, and written in one transaction ({@link
   * PlatformSecretStore#write}): a write that fails leaves every secret as it was.
   *
   * @throws ManifestException listing every slot that is unknown, unfilled, without a ref, of
   *     another provider, pinned, or asks for an unknown alphabet; nothing is written then
   */
  public ApplyResult apply(SecretManifest manifest, BindingsProfile profile, SecretContext context) {
    Map<String, ManifestSlot> slots = manifest.slotsByName();
    List<String> errors = new ArrayList<>();
    Map<String, SecretMaterial> materials = new LinkedHashMap<>();
    Map<String, String> slotOfName = new HashMap<>();
    try {
      profile.bindings().forEach((slotName, binding) -> {
        ManifestSlot slot = slots.get(slotName);
        String problem = slot == null ? "unknown slot (the manifest's slots are "
            + slots.keySet().stream().sorted().toList() + ")" : problemOf(slot, binding);
        if (problem == null) {
          String other = slotOfName.putIfAbsent(slot.ref().name(), slotName);
          if (other != null) {
            problem = "bound to the same secret as slot '" + other + "'; give it one value only";
          }
        }
        if (problem == null) {
          try {
            materials.put(slotName, material(binding));
          } catch (SecretException e) {
            problem = e.detail();
          }
        }
        if (problem != null) {
          errors.add("slot '" + slotName + "': " + problem);
        }
      });
      if (!errors.isEmpty()) {
        throw new ManifestException("bindings profile", "", String.join("; ", errors),
            "Correct these slots; nothing was written");
      }
      return write(manifest, slots, materials, context);
    } finally {
      materials.values().forEach(SecretMaterial::wipe);
    }
  }

  private String problemOf(ManifestSlot slot, BindingsProfile.Binding binding) {
    if (binding instanceof BindingsProfile.Unfilled) {
      return "the placeholder " + BindingsProfile.PLACEHOLDER + " is still there; write the value"
          + " or {\"generate\": {\"length\": 32}}";
    }
    if (slot.ref() == null) {
      return "the manifest gives the slot no secret ref; add one and export again";
    }
    String provider = providerOf(slot.ref());
    if (!providerId.equals(provider)) {
      return (binding instanceof BindingsProfile.Generate ? "generate" : "a value")
          + " cannot be stored for provider '" + provider + "': only " + providerId
          + " secrets are written here; store it in " + provider + " with its own tools";
    }
    if (slot.ref().version() != null) {
      return "the slot is pinned to version " + slot.ref().version() + ", which a write would not"
          + " change; remove the pin from the slot's ref";
    }
    if (slot.ref().field() != null) {
      return "the slot reads field '" + slot.ref().field() + "' of a JSON secret; bindings store"
          + " whole secrets, so bind a ref without a field";
    }
    return null;
  }

  private static SecretMaterial material(BindingsProfile.Binding binding) {
    if (binding instanceof BindingsProfile.Literal literal) {
      return SecretMaterial.text(literal.reveal());
    }
    BindingsProfile.Generate g = (BindingsProfile.Generate) binding;
    GeneratedValue.Alphabet alphabet = switch (g.alphabet().toLowerCase(Locale.ROOT)) {
      case "base62", "alphanumeric" -> GeneratedValue.Alphabet.ALPHANUMERIC;
      case "hex" -> GeneratedValue.Alphabet.HEX;
      case "base64url" -> GeneratedValue.Alphabet.BASE64URL;
      case "printable" -> GeneratedValue.Alphabet.PRINTABLE;
      default -> throw new SecretException(SecretError.INVALID_INPUT, null, "unknown alphabet '"
          + g.alphabet() + "' (known: base62, hex, base64url, printable)");
    };
    return SecretMaterial.generate(GeneratedValue.of(g.length(), alphabet));
  }

  private ApplyResult write(SecretManifest manifest, Map<String, ManifestSlot> slots,
      Map<String, SecretMaterial> materials, SecretContext context) {
    List<SecretRef> refs = materials.keySet().stream().map(s -> slots.get(s).ref()).toList();
    Map<SecretRef, SecretCheck> existing = store.check(context, refs);
    WriteBatch.Builder batch = WriteBatch.builder();
    List<String> order = new ArrayList<>();
    for (String slot : materials.keySet()) {
      ManifestSlot s = slots.get(slot);
      SecretCheck check = existing.get(s.ref());
      if (check.error() == SecretError.DELETED) {
        throw new ManifestException("bindings profile", "", "slot '" + slot + "': its secret "
            + s.ref() + " was deleted", "Undelete or purge the secret, then apply"
            + " again; nothing was written");
      }
      if (check.error() == SecretError.NOT_FOUND) {
        batch.create(NewSecret.builder(s.ref().name()).value(materials.get(slot))
            .description(s.label()).build());
      } else {
        batch.rotate(s.ref().name(), Rotation.builder().value(materials.get(slot)).build());
      }
      order.add(slot);
    }
    // Creates and rotations in one transaction: the profile is applied whole or not at all.
    List<WriteResult> written = store.write(context, batch.build());
    Map<String, Applied> applied = new TreeMap<>();
    for (int i = 0; i < written.size(); i++) {
      String slot = order.get(i);
      applied.put(slot, record(slot, slots, written.get(i),
          existing.get(slots.get(slot).ref()).error() == SecretError.NOT_FOUND));
    }
    return new ApplyResult(List.copyOf(applied.values()), revalidate(manifest, context));
  }

  /** Records a write, closing (wiping) a generated value at once: it is never returned. */
  private static Applied record(String slot, Map<String, ManifestSlot> slots, WriteResult r,
      boolean created) {
    r.generatedValue().ifPresent(v -> v.close());
    return new Applied(slot, slots.get(slot).ref(), r.version(), created);
  }

  /** The platform slots of {@code manifest}, checked against the store (no values read). */
  public ValidationReport revalidate(SecretManifest manifest, SecretContext context) {
    List<ManifestSlot> platform = manifest.slots().stream()
        .filter(s -> s.ref() != null && providerId.equals(providerOf(s.ref())))
        .map(s -> new ManifestSlot(s.slot(), s.label(), s.ref().withProvider(providerId),
            s.usedBy()))
        .toList();
    try (SecretResolver resolver = SecretResolver.builder()
        .provider(new PlatformSecretProvider(providerId, store, false)).build()) {
      return ManifestValidator.validate(SecretManifest.of(manifest.bundle(), platform), resolver,
          context);
    }
  }

  /** Each slot with its ref, provider, active version and last update; never a value. */
  public List<BindingInfo> show(SecretManifest manifest, SecretContext context) {
    List<BindingInfo> out = new ArrayList<>();
    for (ManifestSlot s : manifest.slots()) {
      if (s.ref() == null) {
        out.add(new BindingInfo(s.slot(), null, null, null, null, "no secret ref"));
        continue;
      }
      String provider = providerOf(s.ref());
      if (!providerId.equals(provider)) {
        out.add(new BindingInfo(s.slot(), s.ref(), provider, null, null,
            "managed by " + provider));
        continue;
      }
      try {
        SecretInfo info = store.metadata(context, s.ref().name());
        out.add(new BindingInfo(s.slot(), s.ref(), provider, info.activeVersion(),
            info.updatedAt(), info.deleted() ? "deleted" : "bound"));
      } catch (SecretException e) {
        if (e.error() != SecretError.NOT_FOUND) {
          throw e;
        }
        out.add(new BindingInfo(s.slot(), s.ref(), provider, null, null, "missing"));
      }
    }
    return out;
  }

  private String providerOf(SecretRef ref) {
    return ref.provider() != null ? ref.provider() : defaultProvider;
  }
}
