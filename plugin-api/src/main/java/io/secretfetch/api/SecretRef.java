package io.secretfetch.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A reference to a secret: which provider, which name, optionally which version and which field of
 * a JSON secret. It names a secret; it never holds a value.
 *
 * <h2>Canonical text form</h2>
 *
 * <pre>
 *   ref      = [provider ":"] name ["@" version] ["#" field]
 *   provider = lower-case letter, then lower-case letters, digits, "-" or "_" (at most 32)
 * </pre>
 *
 * <p>Inside name, version and field the characters {@code %}, {@code @} and {@code #} are written
 * as {@code %25}, {@code %40} and {@code %23}; in a reference without a provider, {@code :} in the
 * name is written {@code %3A}. Everything else, including further colons, slashes, spaces and
 * non-ASCII letters, is written as it is. Examples:
 *
 * <pre>
 *   platform:db-password                    the active version of a platform secret
 *   aws:prod/payments/db#password           field "password" of a JSON secret in AWS
 *   aws:arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf
 *   vault:secret/team a/api@3               version 3 of a Vault KV v2 secret
 *   db-password                             a bare name, resolved by the default provider
 * </pre>
 *
 * <p>{@link #toString()} returns the canonical form, and {@code parse(ref.toString())} equals
 * {@code ref} for every valid reference. A null {@code version} means the active version; a null
 * {@code provider} means the resolver's default provider.
 *
 * <p>Names, versions and fields are not empty, have no leading or trailing white space and no
 * control characters, and are at most {@value #MAX_LENGTH} characters long.
 */
public record SecretRef(String provider, String name, String version, String field) {

  /** The longest name, version or field accepted. */
  public static final int MAX_LENGTH = 2048;

  private static final int MAX_PROVIDER_LENGTH = 32;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  public SecretRef {
    if (provider != null) {
      int bad = firstInvalidProviderChar(provider);
      if (provider.isEmpty() || provider.length() > MAX_PROVIDER_LENGTH || bad >= 0) {
        throw invalid(
            "provider id "
                + describeProvider(provider, bad)
                + "; provider ids are 1 to 32 lower-case letters, digits, '-' or '_', starting"
                + " with a letter");
      }
    }
    if (name == null) {
      throw invalid("name must not be null");
    }
    checkComponent("name", name);
    if (version != null) {
      checkComponent("version", version);
    }
    if (field != null) {
      checkComponent("field", field);
    }
  }

  /** A reference to the active version of {@code name} in {@code provider}. */
  public static SecretRef of(String provider, String name) {
    return new SecretRef(provider, name, null, null);
  }

  /**
   * Parses the canonical text form.
   *
   * @throws SecretException with {@link SecretError#INVALID_REFERENCE}, naming the offending
   *     character and its position (the text itself is not quoted, in case a value was pasted
   *     where a reference belongs)
   */
  public static SecretRef parse(String text) {
    if (text == null) {
      throw invalid("reference must not be null");
    }
    if (text.isEmpty()) {
      throw invalid("reference is empty; write provider:name, for example platform:db-password");
    }
    int n = text.length();
    int pos = 0;
    String provider = null;
    int firstSpecial = indexOfAny(text, 0, ":@#");
    if (firstSpecial >= 0 && text.charAt(firstSpecial) == ':') {
      if (firstSpecial == 0) {
        throw invalid("empty provider id before ':' at position 0");
      }
      for (int i = 0; i < firstSpecial; i++) {
        if (!isProviderChar(text.charAt(i), i == 0)) {
          throw invalid(
              describeChar(text, i)
                  + " is not allowed in a provider id (lower-case letters, digits, '-' and '_',"
                  + " starting with a letter); to use ':' in a bare name write it as %3A");
        }
      }
      if (firstSpecial > MAX_PROVIDER_LENGTH) {
        throw invalid("provider id ending at position " + firstSpecial + " is longer than 32");
      }
      provider = text.substring(0, firstSpecial);
      pos = firstSpecial + 1;
    }
    int nameEnd = indexOfAny(text, pos, "@#");
    if (nameEnd < 0) {
      nameEnd = n;
    }
    String name = decode(text, pos, nameEnd, "name");
    String version = null;
    String field = null;
    pos = nameEnd;
    if (pos < n && text.charAt(pos) == '@') {
      int versionEnd = text.indexOf('#', pos + 1);
      if (versionEnd < 0) {
        versionEnd = n;
      }
      version = decode(text, pos + 1, versionEnd, "version");
      pos = versionEnd;
    }
    if (pos < n && text.charAt(pos) == '#') {
      field = decode(text, pos + 1, n, "field");
    }
    return new SecretRef(provider, name, version, field);
  }

  /** Like {@link #parse(String)}, but returns empty instead of throwing. */
  public static Optional<SecretRef> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (SecretException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code id} is a valid provider id. */
  public static boolean isValidProviderId(String id) {
    return id != null
        && !id.isEmpty()
        && id.length() <= MAX_PROVIDER_LENGTH
        && firstInvalidProviderChar(id) < 0;
  }

  /** Whether this reference names a specific version rather than the active one. */
  public boolean pinned() {
    return version != null;
  }

  public SecretRef withProvider(String newProvider) {
    return new SecretRef(newProvider, name, version, field);
  }

  public SecretRef withVersion(String newVersion) {
    return new SecretRef(provider, name, newVersion, field);
  }

  public SecretRef withField(String newField) {
    return new SecretRef(provider, name, version, newField);
  }

  /** This reference without its field: the whole secret. */
  public SecretRef withoutField() {
    return field == null ? this : new SecretRef(provider, name, version, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef r
        && name.equals(r.name)
        && Objects.equals(provider, r.provider)
        && Objects.equals(version, r.version)
        && Objects.equals(field, r.field);
  }

  @Override
  public int hashCode() {
    int h = Objects.hashCode(provider);
    h = 31 * h + name.hashCode();
    h = 31 * h + Objects.hashCode(version);
    return 31 * h + Objects.hashCode(field);
  }

  /** The canonical text form; {@link #parse(String)} reads it back to an equal reference. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name.length() + 16);
    if (provider != null) {
      sb.append(provider).append(':');
    }
    escape(sb, name, provider == null);
    if (version != null) {
      escape(sb.append('@'), version, false);
    }
    if (field != null) {
      escape(sb.append('#'), field, false);
    }
    return sb.toString();
  }

  private static void escape(StringBuilder sb, String s, boolean escapeColon) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '@' || c == '#' || (escapeColon && c == ':')) {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        sb.append(c);
      }
    }
  }

  private static String decode(String text, int from, int to, String component) {
    if (from == to) {
      String after = from == 0 ? "" : " after " + describeChar(text, from - 1);
      throw invalid("empty " + component + " at position " + from + after);
    }
    StringBuilder sb = null;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          throw badEscape(text, i);
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw badEscape(text, i);
        }
        int decoded = hi * 16 + lo;
        if (decoded >= 0x80) {
          throw invalid(
              "escape %" + text.substring(i + 1, i + 3) + " at position " + i
                  + " is not ASCII; write non-ASCII characters as they are");
        }
        if (Character.isISOControl(decoded)) {
          throw invalid(
              "escape %" + text.substring(i + 1, i + 3) + " at position " + i
                  + " stands for a control character, which references cannot contain");
        }
        if (sb == null) {
          sb = new StringBuilder(to - from).append(text, from, i);
        }
        sb.append((char) decoded);
        i += 2;
        continue;
      }
      checkChar(text, i, component);
      if (sb != null) {
        sb.append(c);
      }
    }
    String value = sb == null ? text.substring(from, to) : sb.toString();
    if (isBlankChar(value.charAt(0)) || isBlankChar(value.charAt(value.length() - 1))) {
      int at = isBlankChar(text.charAt(from)) ? from : to - 1;
      throw invalid(component + " has leading or trailing white space at position " + at
          + "; remove it");
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid(component + " starting at position " + from + " is longer than "
          + MAX_LENGTH + " characters");
    }
    return value;
  }

  private static void checkChar(String text, int i, String component) {
    char c = text.charAt(i);
    if (Character.isISOControl(c)) {
      throw invalid(describeChar(text, i) + " is a control character, which a " + component
          + " cannot contain");
    }
    if (Character.isHighSurrogate(c)) {
      if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
        throw invalid("unpaired surrogate U+" + hex4(c) + " at position " + i);
      }
    } else if (Character.isLowSurrogate(c)
        && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
      throw invalid("unpaired surrogate U+" + hex4(c) + " at position " + i);
    }
  }

  private static void checkComponent(String component, String value) {
    if (value.isEmpty()) {
      throw invalid(component + " must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid(component + " is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      checkChar(value, i, component);
    }
    if (isBlankChar(value.charAt(0)) || isBlankChar(value.charAt(value.length() - 1))) {
      throw invalid(component + " has leading or trailing white space; remove it");
    }
  }

  private static boolean isBlankChar(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static SecretException badEscape(String text, int i) {
    return invalid("'%' at position " + i
        + " must be followed by two hex digits; write '%' itself as %25");
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isProviderChar(char c, boolean first) {
    boolean letter = c >= 'a' && c <= 'z';
    return first ? letter : letter || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static int firstInvalidProviderChar(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (!isProviderChar(id.charAt(i), i == 0)) {
        return i;
      }
    }
    return -1;
  }

  private static String describeProvider(String provider, int bad) {
    if (provider.isEmpty()) {
      return "is empty";
    }
    if (bad >= 0) {
      return "has " + describeChar(provider, bad).replace("position", "index");
    }
    return "is longer than " + MAX_PROVIDER_LENGTH + " characters";
  }

  /** Names a character safely: printable ones quoted, others by code point. */
  private static String describeChar(String s, int i) {
    char c = s.charAt(i);
    if (Character.isISOControl(c) || Character.isSurrogate(c) || isBlankChar(c)) {
      return "character U+" + hex4(c) + " at position " + i;
    }
    return "character '" + c + "' at position " + i;
  }

  private static String hex4(int c) {
    return String.format("%04X", c);
  }

  private static SecretException invalid(String detail) {
    return SecretException.invalidReference(
        "invalid secret reference: " + detail,
        "Write the reference as provider:name[@version][#field], for example"
            + " aws:prod/db#password");
  }
}
