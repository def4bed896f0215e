package io.secretfetch.camunda.validation;

import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.camunda.SecretFetchDelegate;
import io.secretfetch.camunda.SecretInput;
import io.secretfetch.camunda.placeholder.Placeholders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.util.ReflectUtil;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.util.xml.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one walk over a BPMN process that finds what it says about secrets: the secrets it names
 * (Secret Fetch tasks with plain-text fields, {@code {{secrets...}}} placeholders in secret inputs
 * and fields) and the ways it breaks the secret-flow rules (see {@link SecretFlowValidator}).
 * Deployment uses it through {@link SecretFlowValidator}; bundle export and validation use it on
 * BPMN files outside an engine.
 */
public final class BpmnSecretScanner {
  private static final Logger log = LoggerFactory.getLogger(BpmnSecretScanner.class);

  private static final Namespace CAMUNDA = BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS;
  private static final Set<String> FETCH_FIELDS =
      Set.of("provider", "secretName", "version", "outputFormat", "field", "resultVariable");
  private static final Pattern SINGLE_VARIABLE =
      Pattern.compile("^\\s*[$#]\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}\\s*$");
  private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern QUOTED = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");

  /** The remedy wherever a secret would become text in the engine. */
  public static final String SECRETS_ARE_NOT_TEXT = "Secrets cannot become text in the engine:"
      + " pass the secret to a secret input or a delegate and use it there.";

  private final Map<String, Set<String>> templateSecretInputs;

  /**
   * @param templateSecretInputs the secret inputs declared by element templates, by template id
   */
  public BpmnSecretScanner(Map<String, Set<String>> templateSecretInputs) {
    this.templateSecretInputs = Objects.requireNonNull(templateSecretInputs, "templateSecretInputs");
  }

  /**
   * A rule a process breaks.
   *
   * @param element the offending BPMN element
   * @param literalValue whether it is a value written into the definition where a secret belongs
   * @param message what is wrong, where, and the fix
   */
  public record Finding(Element element, boolean literalValue, String message) {
    /** The offending element's id. */
    public String elementId() {
      return element.attribute("id");
    }
  }

  /**
   * What a scan found.
   *
   * @param requirements the secrets the process names statically, in document order
   * @param findings the rules it breaks, in document order
   */
  public record Result(List<SecretRequirement> requirements, List<Finding> findings) {}

  /** Scans one {@code <process>} element. */
  public Result scan(Element processElement) {
    Scan scan = new Scan();
    scan.secretVariables.addAll(csvProperty(processElement, SecretFlowValidator.SECRET_VARIABLES_PROPERTY));
    collectSecretVariables(processElement, scan);
    walk(processElement, scan);
    return new Result(List.copyOf(scan.requirements), List.copyOf(scan.findings));
  }

  private static final class Scan {
    final Set<String> secretVariables = new LinkedHashSet<>();
    final List<Finding> findings = new ArrayList<>();
    final List<SecretRequirement> requirements = new ArrayList<>();

    void problem(Element element, String text) {
      findings.add(new Finding(element, false, text));
    }

    /** A value written where a secret belongs: the seed's "secret values in flow definitions". */
    void literal(Element element, String text) {
      findings.add(new Finding(element, true, text));
    }
  }

  private static void collectSecretVariables(Element element, Scan scan) {
    for (Element child : element.elements()) {
      if (isSecretFetch(child)) {
        String result = fieldText(child, "resultVariable");
        if (result != null && !result.isBlank()) {
          scan.secretVariables.add(result.trim());
        }
      }
      collectSecretVariables(child, scan);
    }
  }

  private void walk(Element scope, Scan scan) {
    for (Element element : scope.elements()) {
      String id = element.attribute("id");
      if (id != null && !"extensionElements".equals(element.getTagName())) {
        checkElement(element, id, scan);
      }
      if (!"extensionElements".equals(element.getTagName())) {
        walk(element, scan);
      }
    }
  }

  private void checkElement(Element element, String id, Scan scan) {
    Element extensions = element.element("extensionElements");
    boolean fetch = isSecretFetch(element);
    Set<String> secretInputs = secretInputsOf(element, extensions);
    if (fetch) {
      checkSecretFetch(element, id, extensions, scan);
    }
    checkTextSites(element, scan);
    if (extensions == null) {
      return;
    }
    // camunda:field strings: placeholders are secret sources; declared secret fields take nothing
    // else.
    if (!fetch) {
      for (Element f : extensions.elementsNS(CAMUNDA, "field")) {
        String text = fieldValue(f);
        if (secretInputs.contains(f.attribute("name"))) {
          checkSecretField(element, id, f.attribute("name"), f, text, scan);
        }
        collectPlaceholders(element, id + "/" + f.attribute("name"), text, scan);
      }
    }
    Element io = extensions.elementNS(CAMUNDA, "inputOutput");
    if (io != null) {
      for (Element input : io.elementsNS(CAMUNDA, "inputParameter")) {
        String name = input.attribute("name");
        if (secretInputs.contains(name)) {
          checkSecretInput(element, id, name, input, scan);
        } else {
          checkNonSecretMapping(element, id, "input '" + name + "'", input, scan);
        }
      }
      for (Element output : io.elementsNS(CAMUNDA, "outputParameter")) {
        if (fetch) {
          scan.problem(element, "Secret Fetch task '" + id + "' has output parameter '"
              + output.attribute("name") + "'. Its result is the secret variable named by the"
              + " field 'resultVariable'; output mappings would copy the secret into an ordinary"
              + " variable. Remove the output parameters and use the result variable directly.");
        } else {
          checkNonSecretMapping(element, id, "output '" + output.attribute("name") + "'", output,
              scan);
        }
      }
    }
    for (String tag : List.of("in", "out")) {
      for (Element mapping : extensions.elementsNS(CAMUNDA, tag)) {
        String expr = mapping.attribute("sourceExpression");
        if (expr != null && mentionsSecret(expr, scan.secretVariables)
            && !isSingleSecretVariable(expr, scan.secretVariables)) {
          scan.problem(element, "Element '" + id + "': the camunda:" + tag + " mapping to '"
              + mapping.attribute("target") + "' computes a value from a secret variable, which"
              + " would pass the secret on as plain data. Pass the secret variable itself"
              + " (source=\"name\") instead.");
        }
      }
    }
  }

  /**
   * A secret variable where the engine turns an expression's value into text or a plain value (a
   * task's name or assignee, a timer's date, a called element, a business key, ...; see {@link
   * TextSites}), or a bare secret variable as a condition.
   */
  private static void checkTextSites(Element element, Scan scan) {
    if (scan.secretVariables.isEmpty() || TextSites.isPart(element)) {
      return;
    }
    for (TextSites.Site site : TextSites.of(element)) {
      boolean wrong = site.condition()
          ? isSingleSecretVariable(site.text(), scan.secretVariables)
          : mentionsSecret(site.text(), scan.secretVariables);
      if (wrong) {
        scan.problem(element, "Element " + site.element() + ": " + site.what() + " is '"
            + site.text() + "', which uses a secret variable (secret variables of this process: "
            + scan.secretVariables + "), but the engine turns it into "
            + (site.condition() ? "a condition" : "text that it stores and shows")
            + ". " + SECRETS_ARE_NOT_TEXT);
      }
    }
  }

  private void checkSecretFetch(Element element, String id, Element extensions, Scan scan) {
    for (String required : List.of("secretName", "resultVariable")) {
      String v = fieldText(element, required);
      if (v == null || v.isBlank()) {
        scan.problem(element, "Secret Fetch task '" + id + "' has no '" + required
            + "'. Add <camunda:field name=\"" + required + "\" stringValue=\"...\"/> (the "
            + (required.equals("secretName") ? "name of the secret to fetch"
                : "variable that receives the secret") + ").");
      }
    }
    String format = fieldText(element, "outputFormat");
    if (format != null && !isExpression(format)
        && !Set.of("raw", "json").contains(format.trim().toLowerCase(Locale.ROOT))) {
      scan.problem(element, "Secret Fetch task '" + id + "' has outputFormat '" + format
          + "'. Use 'raw' or 'json'.");
    }
    if (extensions != null) {
      for (Element f : extensions.elementsNS(CAMUNDA, "field")) {
        String name = f.attribute("name");
        if (!FETCH_FIELDS.contains(name)) {
          scan.problem(element, "Secret Fetch task '" + id + "' has an unknown field '" + name
              + "'. Its fields are " + new java.util.TreeSet<>(FETCH_FIELDS) + ".");
        }
      }
    }
    String name = fieldText(element, "secretName");
    if (name == null || name.isBlank()) {
      return;
    }
    String provider = fieldText(element, "provider");
    String version = fieldText(element, "version");
    String field = fieldText(element, "field");
    if (isExpression(name) || isExpression(provider) || isExpression(version)
        || isExpression(field)) {
      return; // computed at run time: the delegate checks it then
    }
    try {
      SecretRef ref = new SecretRef(blankToNull(provider), name.trim(), blankToNull(version),
          blankToNull(field));
      scan.requirements.add(new SecretRequirement(ref, id));
    } catch (SecretException e) {
      scan.problem(element, "Secret Fetch task '" + id + "' names an invalid secret: "
          + e.detail() + ". Correct the fields provider, secretName, version and field.");
    }
  }

  private void checkSecretInput(Element element, String id, String name, Element input,
      Scan scan) {
    String where = "Element '" + id + "', secret input '" + name + "'";
    if (!input.elements().isEmpty()) {
      scan.problem(element, where + " is a script, list or map. A secret input takes a secret"
          + " variable (${apiKey}, the result of a Secret Fetch task) or a {{secrets.NAME}}"
          + " placeholder.");
      return;
    }
    String text = input.getText() == null ? "" : input.getText().trim();
    if (Placeholders.contains(text)) {
      if (EXPRESSION.matcher(text).find()) {
        scan.problem(element, where + " mixes a placeholder with an expression. Use the"
            + " placeholder with plain text around it, or a secret variable alone.");
        return;
      }
      collectPlaceholders(element, id + "/" + name, text, scan);
      return;
    }
    if (text.isEmpty()) {
      scan.problem(element, where + " has no value. Map it from a secret variable (${apiKey}) or"
          + " write a {{secrets.NAME}} placeholder.");
      return;
    }
    if (!EXPRESSION.matcher(text).find()) {
      scan.literal(element, where + " holds a literal value: do not put secret values in flow"
          + " definitions. Store the value as a secret, then use a Secret Fetch task and"
          + " ${variable}, or a {{secrets.NAME}} placeholder.");
      return;
    }
    if (!isSingleSecretVariable(text, scan.secretVariables)) {
      scan.problem(element, where + " is fed by an expression that is not a secret variable."
          + " Use ${name} where 'name' is the result variable of a Secret Fetch task (secret"
          + " variables of this process: " + scan.secretVariables + "), or a {{secrets.NAME}}"
          + " placeholder.");
    }
  }

  private static void checkSecretField(Element element, String id, String name, Element field,
      String text, Scan scan) {
    String where = "Element '" + id + "', secret field '" + name + "'";
    boolean expression = field.attribute("expression") != null
        || field.elementNS(CAMUNDA, "expression") != null;
    String value = text == null ? "" : text.trim();
    if (value.isEmpty()) {
      scan.problem(element, where + " has no value. Write a {{secrets.NAME}} placeholder or"
          + " ${variable} naming a secret variable.");
    } else if (expression) {
      if (!isSingleSecretVariable(value, scan.secretVariables)) {
        scan.problem(element, where + " is an expression that is not a secret variable. Use"
            + " ${name} where 'name' is the result variable of a Secret Fetch task (secret"
            + " variables of this process: " + scan.secretVariables + "), or a {{secrets.NAME}}"
            + " placeholder in a string value.");
      }
    } else if (!Placeholders.contains(value)) {
      scan.literal(element, where + " holds a literal value: do not put secret values in flow"
          + " definitions. Store the value as a secret and write a {{secrets.NAME}} placeholder"
          + " (e.g. Bearer {{secrets.API_KEY}}).");
    }
  }

  private void checkNonSecretMapping(Element element, String id, String what, Element parameter,
      Scan scan) {
    String text = allText(parameter);
    boolean script = parameter.elementNS(CAMUNDA, "script") != null;
    if (mentionsSecret(text, scan.secretVariables)
        || (script && mentionsIdentifier(text, scan.secretVariables))) {
      scan.problem(element, "Element '" + id + "', " + what + " uses a secret variable but is not"
          + " a secret input; the value would be copied into an ordinary variable. Declare it a"
          + " secret input (@SecretInput on the delegate, or the element template), or read the"
          + " secret in the delegate with SecretInputs.get.");
    } else if (Placeholders.contains(text)) {
      scan.problem(element, "Element '" + id + "', " + what + " holds a {{secrets...}}"
          + " placeholder but is not a secret input, so it would not be resolved. Declare it a"
          + " secret input (@SecretInput or the element template), or move it to a"
          + " camunda:field.");
    }
  }

  private void collectPlaceholders(Element element, String where, String text, Scan scan) {
    if (text == null || !Placeholders.contains(text)) {
      return;
    }
    try {
      for (Placeholders.Placeholder p : Placeholders.parse(text)) {
        scan.requirements.add(new SecretRequirement(p.ref(), where));
      }
    } catch (SecretException e) {
      scan.problem(element, "'" + where + "' has a malformed placeholder: " + e.detail()
          + ". Write {{secrets.NAME}} or {{secrets.PROVIDER:NAME}}.");
    }
  }

  private Set<String> secretInputsOf(Element element, Element extensions) {
    Set<String> names = new LinkedHashSet<>(csvProperty(element, SecretFlowValidator.SECRET_INPUTS_PROPERTY));
    String template = element.attributeNS(CAMUNDA, "modelerTemplate");
    if (template != null) {
      names.addAll(templateSecretInputs.getOrDefault(template, Set.of()));
    }
    String className = element.attributeNS(CAMUNDA, "class");
    if (className != null && !className.equals(SecretFetchDelegate.CLASS_NAME)) {
      names.addAll(declaredSecretInputs(className));
    }
    return names;
  }

  static Set<String> declaredSecretInputs(String className) {
    try {
      SecretInput declared = ReflectUtil.loadClass(className).getAnnotation(SecretInput.class);
      return declared == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(declared.value()));
    } catch (RuntimeException | LinkageError e) {
      log.debug("Cannot load {} to read its @SecretInput; its inputs count as non-secret",
          className);
      return Set.of();
    }
  }

  private static Set<String> csvProperty(Element element, String property) {
    Set<String> out = new LinkedHashSet<>();
    Element extensions = element.element("extensionElements");
    if (extensions == null) {
      return out;
    }
    Element properties = extensions.elementNS(CAMUNDA, "properties");
    if (properties == null) {
      return out;
    }
    for (Element p : properties.elementsNS(CAMUNDA, "property")) {
      if (property.equals(p.attribute("name")) && p.attribute("value") != null) {
        for (String s : p.attribute("value").split(",")) {
          if (!s.isBlank()) {
            out.add(s.trim());
          }
        }
      }
    }
    return out;
  }

  /** Whether the element is a Secret Fetch task. */
  public static boolean isSecretFetch(Element element) {
    return SecretFetchDelegate.CLASS_NAME.equals(element.attributeNS(CAMUNDA, "class"));
  }

  private static String fieldText(Element element, String field) {
    Element extensions = element.element("extensionElements");
    if (extensions == null) {
      return null;
    }
    for (Element f : extensions.elementsNS(CAMUNDA, "field")) {
      if (field.equals(f.attribute("name"))) {
        return fieldValue(f);
      }
    }
    return null;
  }

  private static String fieldValue(Element f) {
    if (f.attribute("stringValue") != null) {
      return f.attribute("stringValue");
    }
    if (f.attribute("expression") != null) {
      return f.attribute("expression");
    }
    Element s = f.elementNS(CAMUNDA, "string");
    if (s != null) {
      return s.getText();
    }
    Element e = f.elementNS(CAMUNDA, "expression");
    return e == null ? null : e.getText();
  }

  private static String allText(Element e) {
    StringBuilder sb = new StringBuilder(e.getText() == null ? "" : e.getText());
    for (Element child : e.elements()) {
      sb.append(' ').append(allText(child));
      for (String a : List.of("key", "value")) {
        if (child.attribute(a) != null) {
          sb.append(' ').append(child.attribute(a));
        }
      }
    }
    return sb.toString();
  }

  private static boolean isExpression(String text) {
    return text != null && EXPRESSION.matcher(text).find();
  }

  private static boolean isSingleSecretVariable(String text, Set<String> secretVariables) {
    Matcher m = SINGLE_VARIABLE.matcher(text);
    return m.matches() && secretVariables.contains(m.group(1));
  }

  /** Whether an expression in {@code text} refers to one of the secret variables. */
  static boolean mentionsSecret(String text, Set<String> secretVariables) {
    if (text == null || secretVariables.isEmpty()) {
      return false;
    }
    Matcher expr = EXPRESSION.matcher(text);
    while (expr.find()) {
      if (mentionsIdentifier(expr.group(1), secretVariables)) {
        return true;
      }
    }
    return false;
  }

  /** Whether code (an expression body or a script) names one of {@code names}. */
  private static boolean mentionsIdentifier(String code, Set<String> names) {
    Matcher id = IDENTIFIER.matcher(QUOTED.matcher(code).replaceAll("''"));
    while (id.find()) {
      if (names.contains(id.group(1))) {
        return true;
      }
    }
    return false;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
