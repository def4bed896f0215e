package io.secretfetch.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source of secrets: the platform store, AWS Secrets Manager, Vault. This is the thin side of
 * the API, for provider authors; hosts call {@link SecretResolver}, which adds routing, caching,
 * masking and checks.
 *
 * <p>Implementations must be safe for concurrent use. The references they receive carry their
 * provider id and never a field: the resolver selects JSON fields itself. Every failure is a
 * {@link SecretException} with the code that fits, a remedy, and no value in its message.
 *
 * <p>A provider needs {@link #id()} and {@link #fetch} only. {@link #check} and {@link #list} have
 * defaults that are correct but modest (the default check reads each value; the default list is
 * empty): override them when the service can do better. No default calls another default.
 */
public interface SecretProvider extends AutoCloseable {

  /** The id references use to route to this provider, e.g. {@code platform}, {@code aws}. */
  String id();

  /**
   * Fetches one secret: the active version when {@code ref.version()} is null, else that version.
   * The returned value's metadata carries the version actually resolved.
   *
   * @throws SecretException when the secret cannot be returned
   */
  SecretValue fetch(SecretRef ref, SecretContext context);

  /**
   * Checks that each reference exists and may be read in {@code context}, ideally without reading
   * or auditing any value. Implementations batch where the service allows it.
   *
   * <p>The default fetches each reference and wipes the value at once, so it is correct for any
   * provider but reads (and, where the service audits reads, audits) every value; a failure of one
   * reference is that reference's result, never the whole check's. Override it when the service can
   * answer "exists and readable" without the value, or in one call for many references.
   *
   * @return one result per distinct reference given, keyed by that reference
   * @throws SecretException only when the check as a whole cannot run (provider unreachable)
   */
  default Map<SecretRef, SecretCheck> check(Collection<SecretRef> refs, SecretContext context) {
    Map<SecretRef, SecretCheck> results = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      if (results.containsKey(ref)) {
        continue;
      }
      try (SecretValue ignored = fetch(ref, context)) {
        results.put(ref, SecretCheck.ok(ref));
      } catch (SecretException e) {
        results.put(ref, SecretCheck.failed(ref, e));
      }
    }
    return results;
  }

  /**
   * Lists the secrets whose names start with {@code prefix} (empty for all): names and metadata
   * only, for pickers such as the modeler's dropdown. The default lists nothing, for services that
   * cannot enumerate their secrets; a picker then offers free text only.
   */
  default List<SecretSummary> list(String prefix, SecretContext context) {
    return List.of();
  }

  /**
   * Whether the value behind {@code ref} can never change, so a cache may keep it until evicted.
   * True for a pinned version id; a provider whose pins can move (AWS staging labels) says false.
   */
  default boolean immutable(SecretRef ref) {
    return ref.pinned();
  }

  /** Releases connections and threads. */
  @Override
  default void close() {}
}
