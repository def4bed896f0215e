package io.secretfetch.camunda.validation;

import io.secretfetch.camunda.SecretFetchDelegate;
import io.secretfetch.camunda.SecretInput;
import io.secretfetch.camunda.internal.PreRunCheckListener;
import io.secretfetch.camunda.internal.SecretFieldExpression;
import io.secretfetch.camunda.internal.SecretFetchRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.BpmnParseException;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.impl.bpmn.behavior.ClassDelegateActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.FieldDeclaration;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.util.xml.Namespace;

/**
 * Checks, when a process is deployed, that secrets flow only where they may, and records which
 * secrets the process names for the pre-run check.
 *
 * <p>A deployment is refused, with one {@link org.camunda.bpm.engine.ParseException} listing every
 * problem (element, input and fix), when:
 *
 * <ul>
 *   <li>a secret input holds a literal value (secret values do not belong in flow definitions);
 *   <li>a secret input is fed by anything but a secret variable ({@code ${apiKey}}, where {@code
 *       apiKey} is the result variable of a Secret Fetch task or declared by the process property
 *       {@value #SECRET_VARIABLES_PROPERTY}) or a {@code {{secrets.NAME}}} placeholder;
 *   <li>a secret variable, or a placeholder, appears in a non-secret input or output parameter or
 *       call-activity mapping expression (that would copy the value where it is not protected);
 *   <li>a Secret Fetch task has output parameters, no {@code secretName}, no {@code
 *       resultVariable}, an unknown {@code outputFormat} or a malformed reference.
 * </ul>
 *
 * <p>An element's secret inputs are declared by {@link SecretInput} on its {@code camunda:class},
 * by the element template it was modelled with ({@code camunda:modelerTemplate}, configured on the
 * plugin), or by the extension property {@value #SECRET_INPUTS_PROPERTY} (comma-separated names),
 * which element templates set through a hidden {@code camunda:property} binding.
 *
 * <p>Only new deployments are checked: definitions deployed before the plugin (or before a rule)
 * existed keep loading when the engine parses them again from the database.
 */
public final class SecretFlowValidator extends AbstractBpmnParseListener {

  /** Extension property of an element naming its secret inputs. */
  public static final String SECRET_INPUTS_PROPERTY = "secretfetch.secretInputs";
  /** Extension property of a process naming variables that hold secrets (e.g. passed in by a caller). */
  public static final String SECRET_VARIABLES_PROPERTY = "secretfetch.secretVariables";
  /** Property of the parsed process definition holding its {@link SecretRequirement}s. */
  public static final String REQUIREMENTS = "io.secretfetch.requirements";
  /**
   * Property of the parsed process definition: where its expressions yield plain values ({@link
   * TextSites}), by expression text, so a run-time failure can name the attribute.
   */
  public static final String TEXT_SITES = "io.secretfetch.textSites";

  private static final Namespace CAMUNDA = BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS;

  private final SecretFetchRuntime runtime;

  public SecretFlowValidator(SecretFetchRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity definition) {
    BpmnSecretScanner.Result scan =
        new BpmnSecretScanner(runtime.templateSecretInputs()).scan(processElement);
    if (isNewDeployment(definition) && !scan.findings().isEmpty()) {
      throw new BpmnParseException(message(definition, scan.findings()),
          scan.findings().get(0).element());
    }
    definition.setProperty(REQUIREMENTS, scan.requirements());
    definition.setProperty(TEXT_SITES, textSites(processElement, new HashMap<>()));
    if (runtime.preRunCheck() && !scan.requirements().isEmpty()) {
      definition.addBuiltInListener(
          ExecutionListener.EVENTNAME_START,
          new PreRunCheckListener(runtime, definition.getKey(), scan.requirements()));
    }
  }

  // --- run time: declared secret fields evaluate to secrets -------------------------------------

  @Override
  public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    installSecretFields(element, activity);
  }

  @Override
  public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    installSecretFields(element, activity);
  }

  @Override
  public void parseBusinessRuleTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    installSecretFields(element, activity);
  }

  /**
   * Wraps the field declarations that the delegate class declares secret ({@code @SecretInput})
   * in a {@link SecretFieldExpression}, so the injected {@code Expression} yields the resolved
   * secret. The engine keeps a class delegate's fields in a protected list with no accessor: it is
   * read reflectively, and the declarations (mutable) are updated in place.
   */
  private void installSecretFields(Element element, ActivityImpl activity) {
    if (!(activity.getActivityBehavior() instanceof ClassDelegateActivityBehavior behavior)) {
      return;
    }
    String className = element.attributeNS(CAMUNDA, "class");
    if (className == null || className.equals(SecretFetchDelegate.CLASS_NAME)) {
      return;
    }
    Set<String> declared = BpmnSecretScanner.declaredSecretInputs(className);
    if (declared.isEmpty()) {
      return;
    }
    for (FieldDeclaration field : fieldDeclarations(behavior, element)) {
      if (declared.contains(field.getName()) && field.getValue() instanceof Expression e
          && !(e instanceof SecretFieldExpression)) {
        field.setValue(new SecretFieldExpression(e, field.getName()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<FieldDeclaration> fieldDeclarations(ClassDelegateActivityBehavior behavior,
      Element element) {
    try {
      java.lang.reflect.Field f =
          ClassDelegateActivityBehavior.class.getDeclaredField("fieldDeclarations");
      f.setAccessible(true);
      List<FieldDeclaration> list = (List<FieldDeclaration>) f.get(behavior);
      return list == null ? List.of() : list;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new BpmnParseException("Element '" + element.attribute("id") + "': this engine"
          + " version does not let Secret Fetch resolve the delegate's secret fields. Read them"
          + " with SecretInputs.field instead of declaring them in @SecretInput.", element);
    }
  }


  private static Map<String, List<TextSites.Site>> textSites(Element scope,
      Map<String, List<TextSites.Site>> index) {
    for (Element element : scope.elements()) {
      if ("extensionElements".equals(element.getTagName())) {
        continue;
      }
      if (element.attribute("id") != null && !TextSites.isPart(element)) {
        for (TextSites.Site site : TextSites.of(element)) {
          index.computeIfAbsent(site.text(), k -> new ArrayList<>()).add(site);
        }
      }
      textSites(element, index);
    }
    return index;
  }

  private static String message(ProcessDefinitionEntity definition,
      List<BpmnSecretScanner.Finding> problems) {
    StringBuilder sb = new StringBuilder("Secret Fetch refused to deploy process '")
        .append(definition.getKey()).append("': ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems");
    for (BpmnSecretScanner.Finding p : problems) {
      sb.append("\n  - ").append(p.message());
    }
    return sb.toString();
  }

  /**
   * Whether the definition is being deployed now (rather than parsed again from an existing
   * deployment after a restart or a cache eviction).
   */
  private static boolean isNewDeployment(ProcessDefinitionEntity definition) {
    CommandContext cc = Context.getCommandContext();
    if (cc == null || definition.getDeploymentId() == null) {
      return false;
    }
    DeploymentEntity deployment =
        cc.getDbEntityManager().getCachedEntity(DeploymentEntity.class, definition.getDeploymentId());
    return deployment != null && deployment.isNew();
  }
}
