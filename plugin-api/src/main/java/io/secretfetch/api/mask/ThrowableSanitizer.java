package io.secretfetch.api.mask;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Copies a throwable tree with its messages masked; see {@link SecretMasker#sanitize}.
 *
 * <p>A throwable is replaced only if it or something below it (cause, suppressed) needs masking, or
 * if it lies on a cause/suppression cycle, which the copy cuts; clean subtrees are reused as they
 * are, so their types survive. One instance per call.
 */
final class ThrowableSanitizer {

  private final SecretMasker masker;
  /** Whether each visited throwable must be replaced; absent while being visited. */
  private final Map<Throwable, Boolean> replace = new IdentityHashMap<>();
  private final Map<Throwable, Boolean> visiting = new IdentityHashMap<>();
  private final Map<Throwable, Throwable> copies = new IdentityHashMap<>();
  private final Map<Throwable, Boolean> copying = new IdentityHashMap<>();

  ThrowableSanitizer(SecretMasker masker) {
    this.masker = masker;
  }

  Throwable sanitize(Throwable throwable) {
    return mustReplace(throwable) ? copy(throwable) : throwable;
  }

  private boolean mustReplace(Throwable t) {
    Boolean known = replace.get(t);
    if (known != null) {
      return known;
    }
    if (visiting.put(t, Boolean.TRUE) != null) {
      return true; // a cycle: the copy has to cut it
    }
    boolean result = !maskedEquals(messageOf(t)) || !maskedEquals(toStringOf(t));
    Throwable cause = t.getCause();
    if (cause != null && mustReplace(cause)) {
      result = true;
    }
    for (Throwable suppressed : t.getSuppressed()) {
      if (mustReplace(suppressed)) {
        result = true;
      }
    }
    visiting.remove(t);
    replace.put(t, result);
    return result;
  }

  /** Copies t, or returns null where t is being copied above it (a cycle, which is cut here). */
  private Throwable copy(Throwable t) {
    if (!replace.getOrDefault(t, Boolean.TRUE)) {
      return t;
    }
    if (copying.containsKey(t)) {
      return null;
    }
    Throwable done = copies.get(t);
    if (done != null) {
      return done; // reached twice without a cycle: share the copy
    }
    copying.put(t, Boolean.TRUE);
    Throwable cause = t.getCause();
    Throwable sanitizedCause = cause == null ? null : copy(cause);
    String message = messageOf(t);
    MaskedException copy = new MaskedException(t.getClass().getName(),
        message == null ? null : masker.mask(message), masker.mask(toStringOf(t)),
        t.getStackTrace(), sanitizedCause);
    for (Throwable suppressed : t.getSuppressed()) {
      Throwable sanitized = copy(suppressed);
      if (sanitized != null && sanitized != copy) {
        copy.addSuppressed(sanitized);
      }
    }
    copying.remove(t);
    copies.put(t, copy);
    return copy;
  }

  private boolean maskedEquals(String text) {
    return text == null || masker.mask(text).equals(text);
  }

  /** getMessage() can be overridden and can throw; a failure must not hide the original. */
  private static String messageOf(Throwable t) {
    try {
      return t.getMessage();
    } catch (RuntimeException e) {
      return "(message unavailable: " + e.getClass().getName() + ")";
    }
  }

  private static String toStringOf(Throwable t) {
    try {
      String s = t.toString();
      return s == null ? t.getClass().getName() : s;
    } catch (RuntimeException e) {
      return t.getClass().getName();
    }
  }
}
