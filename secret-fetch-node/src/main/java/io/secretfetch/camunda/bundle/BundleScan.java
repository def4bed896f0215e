package io.secretfetch.camunda.bundle;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.manifest.ManifestException;
import io.secretfetch.api.manifest.ValidationProblem;
import io.secretfetch.camunda.validation.BpmnSecretScanner;
import io.secretfetch.camunda.validation.SecretRequirement;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.util.ReflectUtil;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.util.xml.Parse;
import org.camunda.bpm.engine.impl.util.xml.Parser;

/**
 * A bundle's BPMN files run through the deploy-time {@link BpmnSecretScanner}: every secret each
 * process names, where, and every rule it breaks.
 *
 * @param uses each static use of a secret, in file and document order
 * @param problems the broken rules, as report problems (slot {@value #FLOW})
 */
record BundleScan(List<Use> uses, List<ValidationProblem> problems) {
  /** The slot name of problems that concern the flow definition rather than a slot. */
  static final String FLOW = "(flow definition)";

  /** One use: the ref as written, the file, the element (as in {@link SecretRequirement}) and the activity's name. */
  record Use(SecretRef ref, String file, String element, String activityName) {}

  static BundleScan of(Bundle bundle, BpmnSecretScanner scanner) {
    List<Use> uses = new ArrayList<>();
    List<ValidationProblem> problems = new ArrayList<>();
    bundle.bpmn().forEach((file, bytes) -> {
      Element root = parse(bundle.name() + "/" + file, bytes);
      Map<String, String> names = new HashMap<>();
      collectNames(root, names);
      for (Element process : root.elements("process")) {
        BpmnSecretScanner.Result result = scanner.scan(process);
        for (SecretRequirement r : result.requirements()) {
          String activity = r.element().contains("/")
              ? r.element().substring(0, r.element().indexOf('/')) : r.element();
          uses.add(new Use(r.ref(), file, r.element(), names.get(activity)));
        }
        for (BpmnSecretScanner.Finding f : result.findings()) {
          String message = f.message().endsWith(".")
              ? f.message().substring(0, f.message().length() - 1) : f.message();
          problems.add(f.literalValue()
              ? new ValidationProblem(FLOW, f.elementId(), null, SecretError.INVALID_INPUT,
                  "a secret value is written into the flow definition: " + message,
                  "Remove the value from the BPMN, store it as a secret (bindings apply), and"
                      + " reference it with a Secret Fetch task or a {{secrets.NAME}} placeholder",
                  file)
              : new ValidationProblem(FLOW, f.elementId(), null, SecretError.INVALID_INPUT,
                  message, "Correct the BPMN as the detail says", file));
        }
      }
    });
    return new BundleScan(List.copyOf(uses), List.copyOf(problems));
  }

  /**
   * Camunda's own XML reader, as deployment runs it: it reads namespaces only when given a schema,
   * so it gets the BPMN one (schema errors are left to deployment, which reports them itself).
   */
  private static Element parse(String name, byte[] bytes) {
    Parser parser = new Parser() {
      @Override
      public Parse createParse() {
        return new Parse(this) {};
      }
    };
    try {
      Parse parse = parser.createParse().name(name)
          .sourceInputStream(new ByteArrayInputStream(bytes));
      parse.setSchemaResource(ReflectUtil.getResourceUrlAsString(BpmnParser.BPMN_20_SCHEMA_LOCATION));
      parse.execute();
      if (parse.getRootElement() == null) {
        throw new IllegalStateException("no root element");
      }
      return parse.getRootElement();
    } catch (RuntimeException e) {
      throw new ManifestException(name, "", "is not well-formed BPMN XML",
          "Open and save it in the Camunda Modeler, or correct the XML");
    }
  }

  private static void collectNames(Element element, Map<String, String> names) {
    String id = element.attribute("id");
    String name = element.attribute("name");
    if (id != null && name != null && !name.isBlank()) {
      names.put(id, name.trim());
    }
    for (Element child : element.elements()) {
      collectNames(child, names);
    }
  }
}
