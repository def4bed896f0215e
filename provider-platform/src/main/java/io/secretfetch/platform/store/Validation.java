package io.secretfetch.platform.store;

import static io.secretfetch.platform.store.StoreLimits.*;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import java.time.Instant;
import java.util.Map;

/** Input checks; every failure names the field, the limit and the fix, never a value. */
final class Validation {
  private Validation() {}

  static final String NAME_RULE =
      "names are 1 to " + MAX_NAME_LENGTH + " characters: letters, digits, '_', '-', '.' and '/',"
          + " starting with a letter or digit, without empty, '.' or '..' path segments and"
          + " without a trailing '/'";

  static void name(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid("name is empty", "Give the secret a name; " + NAME_RULE);
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw invalid(
          "name is " + name.length() + " characters long; the limit is " + MAX_NAME_LENGTH,
          "Shorten the name; " + NAME_RULE);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (i == 0 && !alnum) {
        throw invalid("name must start with a letter or digit", "Rename it; " + NAME_RULE);
      }
      if (!alnum && c != '_' && c != '-' && c != '.' && c != '/') {
        throw invalid(
            "name has a character that is not allowed (" + describe(c) + ") at position " + i,
            "Rename it; " + NAME_RULE);
      }
    }
    if (name.endsWith("/")) {
      throw invalid("name ends with '/'", "Remove the trailing '/'; " + NAME_RULE);
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw invalid(
            "name has an empty, '.' or '..' path segment", "Rename it; " + NAME_RULE);
      }
    }
  }

  static String tenant(String tenantId) {
    if (tenantId == null) {
      return "";
    }
    if (tenantId.length() > MAX_TENANT_LENGTH) {
      throw invalid(
          "tenant id is " + tenantId.length() + " characters long; the limit is "
              + MAX_TENANT_LENGTH,
          "Use a shorter tenant id");
    }
    for (int i = 0; i < tenantId.length(); i++) {
      if (Character.isISOControl(tenantId.charAt(i))) {
        throw invalid("tenant id has a control character at position " + i,
            "Use printable characters in tenant ids");
      }
    }
    return tenantId;
  }

  static void valueSize(int size) {
    if (size == 0) {
      throw invalid("value is empty", "Store a non-empty value");
    }
    if (size > MAX_VALUE_BYTES) {
      throw invalid(
          "value is " + size + " bytes; the limit is " + MAX_VALUE_BYTES + " bytes (64 KiB)",
          "Store large material (certificates bundles, files) elsewhere and keep only its"
              + " key or location here");
    }
  }

  static void description(String description) {
    if (description != null) {
      text("description", description, MAX_DESCRIPTION_LENGTH, true);
    }
  }

  static void owner(String owner) {
    if (owner != null) {
      text("owner", owner, MAX_OWNER_LENGTH, false);
    }
  }

  static void tags(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw invalid(
          "secret has " + tags.size() + " tags; the limit is " + MAX_TAGS,
          "Remove tags until at most " + MAX_TAGS + " remain");
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.length() > MAX_TAG_KEY_LENGTH) {
        throw invalid(
            "tag key is " + key.length() + " characters long; keys are 1 to "
                + MAX_TAG_KEY_LENGTH,
            "Use a tag key of 1 to " + MAX_TAG_KEY_LENGTH + " characters");
      }
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        boolean ok = Character.isLetterOrDigit(c) || " _.:/=+-@".indexOf(c) >= 0;
        if (!ok) {
          throw invalid(
              "tag key has a character that is not allowed (" + describe(c) + ") at position "
                  + i,
              "Tag keys may hold letters, digits, spaces and _ . : / = + - @");
        }
      }
      text("value of tag '" + key + "'", e.getValue(), MAX_TAG_VALUE_LENGTH, false);
    }
  }

  static void expiry(Instant expiresAt, Instant now) {
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw invalid(
          "expiresAt " + expiresAt + " is not in the future",
          "Give an expiry after the current time, or none");
    }
  }

  static void version(int version) {
    if (version < 1) {
      throw invalid("version " + version + " is not positive", "Versions count from 1");
    }
  }

  private static void text(String field, String s, int max, boolean multiline) {
    if (s.length() > max) {
      throw invalid(
          field + " is " + s.length() + " characters long; the limit is " + max,
          "Shorten the " + field + " to at most " + max + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
        throw invalid(
            field + " has a control character at position " + i,
            "Remove control characters from the " + field);
      }
    }
  }

  private static String describe(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)
        ? String.format("U+%04X", (int) c)
        : "'" + c + "'";
  }

  static SecretException invalid(String detail, String remedy) {
    return new SecretException(SecretError.INVALID_INPUT, null, detail, remedy);
  }
}
