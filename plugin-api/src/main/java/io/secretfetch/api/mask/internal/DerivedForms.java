package io.secretfetch.api.mask.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Expands one secret into every form the matcher must find: the value itself, its base64 cores,
 * percent, JSON, XML and shell encodings and, for a multi-line value, each line on its own.
 *
 * <p>Forms shorter than the free-text minimum are dropped, so a short line such as {@code {} in a
 * multi-line secret does not turn every brace in a log into a mask token.
 */
public final class DerivedForms {

  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private DerivedForms() {}

  /**
   * Adds the forms of {@code secret} to {@code forms}, keyed by text; the value says whether a hit
   * widens over a base64 run (a text that is both a plain and a base64 form widens).
   */
  public static void addTo(Map<String, Boolean> forms, String secret, int minLength) {
    Consumer<String> plain = text -> put(forms, text, false, minLength);
    Consumer<String> base64 = text -> put(forms, text, true, minLength);

    addTextForms(secret, plain);
    Base64Cores.forEachCore(secret.getBytes(StandardCharsets.UTF_8), base64);

    if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
      // The same value after a platform changed its line endings.
      addTextForms(LINE_BREAK.matcher(secret).replaceAll("\n"), plain);
      addTextForms(LINE_BREAK.matcher(secret).replaceAll("\r\n"), plain);
      for (String line : LINE_BREAK.split(secret)) {
        addTextForms(line, plain);
        addTextForms(line.strip(), plain);
      }
    }
  }

  private static void addTextForms(String value, Consumer<String> sink) {
    sink.accept(value);
    TextEncodings.percentForms(value, sink);
    TextEncodings.jsonForms(value, sink);
    TextEncodings.xmlForms(value, sink);
    TextEncodings.shellForms(value, sink);
  }

  private static void put(Map<String, Boolean> forms, String text, boolean base64, int minLength) {
    if (text.length() >= minLength) {
      forms.merge(text, base64, Boolean::logicalOr);
    }
  }
}
