package io.secretfetch.camunda.placeholder;

import io.secretfetch.api.SecretRef;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret placeholders in flow definitions: {@code {{secrets.NAME}}} (the default provider) and
 * {@code {{secrets.PROVIDER:NAME}}}, where the part after {@code secrets.} is a reference in the
 * {@link SecretRef} grammar (so {@code {{secrets.vault:team/api@3#token}}} pins a version and selects
 * a field). Placeholders are resolved at run time, in memory, inside secret inputs and {@code
 * camunda:field} strings; the text around them is kept ({@code Bearer {{secrets.OPENAI_API_KEY}}}).
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*secrets\\.([^{}]*?)\\s*}}");
  private static final String MARKER = "{{";

  private Placeholders() {}

  /** One placeholder: where it stands in the text and the reference it names. */
  public record Placeholder(int start, int end, SecretRef ref) {}

  /** Whether {@code text} contains anything that looks like a secret placeholder. */
  public static boolean contains(String text) {
    return text != null && text.contains(MARKER) && PLACEHOLDER.matcher(text).find();
  }

  /**
   * The placeholders in {@code text}, in order.
   *
   * @throws io.secretfetch.api.SecretException {@code INVALID_REFERENCE} when a placeholder's
   *     reference does not parse (the message names the position, not the text)
   */
  public static List<Placeholder> parse(String text) {
    List<Placeholder> out = new ArrayList<>();
    if (text == null || !text.contains(MARKER)) {
      return out;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      out.add(new Placeholder(m.start(), m.end(), SecretRef.parse(m.group(1))));
    }
    return out;
  }

  /** Whether the whole text is exactly one placeholder (so it resolves to that secret as it is). */
  public static boolean isSingle(String text, List<Placeholder> placeholders) {
    return placeholders.size() == 1
        && placeholders.get(0).start() == 0
        && placeholders.get(0).end() == text.length();
  }
}
