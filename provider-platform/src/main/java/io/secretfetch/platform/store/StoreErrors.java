package io.secretfetch.platform.store;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.platform.store.internal.Jdbc;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** The store's failures in Secret Fetch terms: what was wrong, for which ref, and the fix. */
final class StoreErrors {
  private StoreErrors() {}

  static SecretException denied(String name) {
    return new SecretException(SecretError.ACCESS_DENIED, name == null ? null : StoreErrors.ref(name, null),
        "the caller may not do this", "Ask an administrator for the needed permission");
  }

  static SecretException notFound(String name) {
    return new SecretException(SecretError.NOT_FOUND, StoreErrors.ref(name, null),
        "no such secret in this tenant", null);
  }

  static SecretException versionNotFound(String name, int version, SecretInfo s) {
    return new SecretException(SecretError.VERSION_NOT_FOUND, StoreErrors.ref(name, Integer.toString(version)),
        "the secret has no version " + version + " (versions 1 to " + s.latestVersion() + ")",
        null);
  }

  static SecretRef ref(String name, String version) {
    try {
      return new SecretRef("platform", name, version, null);
    } catch (SecretException e) {
      return null;
    }
  }

  static int parseVersion(SecretRef ref) {
    try {
      int v = Integer.parseInt(ref.version());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw new SecretException(SecretError.VERSION_NOT_FOUND, ref.withoutField(),
        "platform versions are positive whole numbers", "Pin a version such as @3");
  }

  static SecretException translate(SQLException e) {
    if (Jdbc.isUniqueViolation(e)) {
      return new SecretException(SecretError.CONFLICT, null,
          "a secret of that name already exists in this tenant (it may be deleted)",
          "Choose another name, rotate the existing secret, or undelete or purge a deleted one",
          null);
    }
    return Jdbc.unavailable(e);
  }


  /** A check-and-set that lost: the active version is not the one the writer read. */
  static SecretException conflict(String name, int expected, int actual, String remedy) {
    return new SecretException(SecretError.CONFLICT, ref(name, null),
        "expected active version " + expected + " but it is " + actual, remedy);
  }

  static SecretException deleted(String name) {
    return new SecretException(SecretError.DELETED, ref(name, null),
        "the secret was deleted", "Undelete the secret first");
  }

  static SecretException wrongMasterKey(String what) {
    return new SecretException(SecretError.CONFIGURATION, null,
        "the master key cannot decrypt " + what + " of this store: it is not the key the store"
            + " was written with",
        "Open the store with the master key file or variable it was created with");
  }

  /** Key ids as Tink prints them (unsigned). */
  static List<String> unsigned(Set<Integer> ids) {
    return ids.stream().map(Integer::toUnsignedString).toList();
  }
}
