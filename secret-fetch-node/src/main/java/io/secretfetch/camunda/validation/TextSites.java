package io.secretfetch.camunda.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.util.xml.Namespace;

/**
 * The places of one BPMN element where the engine evaluates an expression and wants a plain value
 * back — text it stores or queries by (a task's name, assignee, candidate users, due date,
 * priority, a call activity's called element and business key, a timer's date, duration or
 * cycle, a retry cycle) or a boolean (a condition). A secret there cannot work: the engine would
 * turn it into text. Found by walking the element's attributes and the text of its own parts
 * (event definitions, conditions, loop characteristics), so an attribute nobody listed is still
 * seen; {@code camunda:expression} and {@code camunda:delegateExpression} are left out, as they
 * call code that may take a secret.
 */
public final class TextSites {
  private static final Namespace CAMUNDA = BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS;
  /** Expressions that call code (a bean method may take a secret), not produce a value. */
  private static final Set<String> CODE = Set.of("expression", "delegateExpression");
  private static final Set<String> CONDITIONS =
      Set.of("conditionExpression", "condition", "completionCondition");
  /** Parts of an element that belong to it even when they carry an id of their own. */
  private static final Set<String> PARTS = Set.of("conditionExpression", "completionCondition",
      "condition", "multiInstanceLoopCharacteristics", "standardLoopCharacteristics",
      "loopCardinality", "timeDate", "timeDuration", "timeCycle");
  private static final Map<String, String> WORDS = Map.ofEntries(
      Map.entry("name", "the name"),
      Map.entry("assignee", "the assignee"),
      Map.entry("candidateUsers", "the candidate users"),
      Map.entry("candidateGroups", "the candidate groups"),
      Map.entry("dueDate", "the due date"),
      Map.entry("followUpDate", "the follow-up date"),
      Map.entry("priority", "the priority"),
      Map.entry("jobPriority", "the job priority"),
      Map.entry("taskPriority", "the external task priority"),
      Map.entry("topic", "the external task topic"),
      Map.entry("formKey", "the form key"),
      Map.entry("calledElement", "the called element"),
      Map.entry("calledElementVersion", "the called element's version"),
      Map.entry("calledElementTenantId", "the called element's tenant id"),
      Map.entry("businessKey", "the business key"),
      Map.entry("timeDate", "the timer's date"),
      Map.entry("timeDuration", "the timer's duration"),
      Map.entry("timeCycle", "the timer's cycle"),
      Map.entry("failedJobRetryTimeCycle", "the retry time cycle"),
      Map.entry("collection", "the multi-instance collection"),
      Map.entry("loopCardinality", "the loop cardinality"),
      Map.entry("conditionExpression", "the condition"),
      Map.entry("condition", "the condition"),
      Map.entry("completionCondition", "the completion condition"),
      Map.entry("variableName", "the variable name"));

  private TextSites() {}

  /**
   * One place where an expression yields a plain value.
   *
   * @param elementId the BPMN element (flow node, sequence flow) it belongs to
   * @param elementName that element's name, or null
   * @param what what the engine wants there, in Camunda's words, with the attribute or tag
   * @param text the expression text as written
   * @param condition whether the engine wants a boolean (then only the bare secret is wrong)
   */
  public record Site(String elementId, String elementName, String what, String text,
      boolean condition) {
    /** "'id'" or "'id' ('name')". */
    public String element() {
      return "'" + elementId + "'" + (elementName == null ? "" : " ('" + elementName + "')");
    }
  }

  /** Whether {@code element} is a part another element's sites include. */
  static boolean isPart(Element element) {
    return PARTS.contains(element.getTagName()) || element.getTagName().endsWith("EventDefinition");
  }

  /** The sites of {@code element} (a flow node, sequence flow, ...) holding an expression. */
  public static List<Site> of(Element element) {
    List<Site> sites = new ArrayList<>();
    String id = element.attribute("id");
    String name = blankToNull(element.attribute("name"));
    if (isExpression(name)) {
      name = null; // computed: the expression is named as the site, not as the label
    }
    collect(element, id, name, element, sites);
    return sites;
  }

  private static void collect(Element owner, String id, String name, Element e, List<Site> out) {
    for (String key : e.attributes()) {
      String local = key.substring(key.lastIndexOf(':') + 1);
      String value = e.attribute(key);
      if (!CODE.contains(local) && isExpression(value)) {
        out.add(new Site(id, name, describe(local, "attribute '" + local + "'"), value.trim(),
            false));
      }
    }
    String text = e == owner ? null : e.getText();
    if (isExpression(text)) {
      out.add(new Site(id, name, describe(e.getTagName(), "<" + e.getTagName() + ">"),
          text.trim(), CONDITIONS.contains(e.getTagName())));
    }
    for (Element child : e.elements()) {
      if ("extensionElements".equals(child.getTagName())) {
        collectExtensions(id, name, child, out);
      } else if (child.attribute("id") == null || isPart(child)) {
        collect(owner, id, name, child, out);
      }
    }
  }

  /** Of the extensions, a call activity's business key and the retry cycle yield plain text. */
  private static void collectExtensions(String id, String name, Element extensions,
      List<Site> out) {
    for (Element in : extensions.elementsNS(CAMUNDA, "in")) {
      String key = in.attribute("businessKey");
      if (isExpression(key)) {
        out.add(new Site(id, name, describe("businessKey", "camunda:in businessKey"), key.trim(),
            false));
      }
    }
    Element retry = extensions.elementNS(CAMUNDA, "failedJobRetryTimeCycle");
    if (retry != null && isExpression(retry.getText())) {
      out.add(new Site(id, name, describe("failedJobRetryTimeCycle",
          "camunda:failedJobRetryTimeCycle"), retry.getText().trim(), false));
    }
  }

  private static String describe(String local, String where) {
    String words = WORDS.get(local);
    return words == null ? where : words + " (" + where + ")";
  }

  private static boolean isExpression(String text) {
    return text != null && (text.contains("${") || text.contains("#{"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
