package io.secretfetch.camunda;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.internal.ErrorRouting;
import io.secretfetch.camunda.internal.SecretFetchRuntime;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secret Fetch task: resolves one secret for the process instance's tenant and stores it as a
 * variable of type {@code secret}, which holds the value in memory and persists only its reference.
 *
 * <p>Configured only through {@code camunda:field}s, so the configuration never becomes a variable:
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code provider}</td><td>provider id; optional, default: the plugin's default
 *       provider</td></tr>
 *   <tr><td>{@code secretName}</td><td>the secret's name (required)</td></tr>
 *   <tr><td>{@code version}</td><td>a version to pin; optional, default: the active one</td></tr>
 *   <tr><td>{@code outputFormat}</td><td>{@code raw} (default) or {@code json}: the value must
 *       parse as JSON</td></tr>
 *   <tr><td>{@code field}</td><td>a key of a JSON-object secret to return instead of the whole
 *       secret; optional</td></tr>
 *   <tr><td>{@code resultVariable}</td><td>the variable to set (required)</td></tr>
 * </table>
 *
 * <h2>Failures</h2>
 *
 * A secret that cannot be resolved (missing, expired, denied, deleted, unreadable, provider down)
 * fails the task with its {@link SecretError} code and a message naming the task, the secret and the
 * remedy, never the value:
 *
 * <ul>
 *   <li>if the model catches that code — an error boundary event or error event sub-process whose
 *       {@code errorCode} is the code's name (e.g. {@code NOT_FOUND}), or one without a code — the
 *       task throws a {@link BpmnError} with that code, and {@code camunda:errorMessageVariable}
 *       receives the message;
 *   <li>otherwise it throws a {@link SecretFetchException}: the engine rolls the transaction back,
 *       a synchronous caller gets the exception, an asynchronous job is retried and ends in an
 *       incident with that message. The engine's default for an uncaught BPMN error — silently
 *       ending the process instance — is never used.
 * </ul>
 */
public class SecretFetchDelegate implements JavaDelegate {
  private static final Logger log = LoggerFactory.getLogger(SecretFetchDelegate.class);

  /** The value of {@code camunda:class} that marks a Secret Fetch task. */
  public static final String CLASS_NAME = SecretFetchDelegate.class.getName();

  private Expression provider;
  private Expression secretName;
  private Expression version;
  private Expression outputFormat;
  private Expression field;
  private Expression resultVariable;

  @Override
  public void execute(DelegateExecution execution) {
    String activity = execution.getCurrentActivityId();
    SecretFetchRuntime runtime = SecretFetchRuntime.current();
    SecretRef ref = null;
    try {
      String name = text(secretName, execution);
      String target = text(resultVariable, execution);
      if (name == null || target == null) {
        throw SecretException.configuration(
            "the task has no " + (name == null ? "secretName" : "resultVariable"),
            "Set the camunda:field '" + (name == null ? "secretName" : "resultVariable")
                + "' of task '" + activity + "'");
      }
      String format = text(outputFormat, execution);
      boolean json = format != null && format.trim().toLowerCase(Locale.ROOT).equals("json");
      if (format != null && !json && !format.trim().equalsIgnoreCase("raw")) {
        throw SecretException.configuration(
            "outputFormat '" + format + "' is not supported", "Use 'raw' or 'json'");
      }
      ref = runtime.withDefaultProvider(
          new SecretRef(text(provider, execution), name, text(version, execution),
              text(field, execution)));
      SecretValue value = runtime.resolve(
          ref,
          runtime.context(execution.getTenantId(), execution.getProcessInstanceId(), activity));
      if (json && ref.field() == null) {
        value.revealJson(); // fails with MALFORMED_VALUE (line and column, no content) if not JSON
      }
      execution.setVariable(target, value);
      if (log.isDebugEnabled()) { // resolvedRef() builds a reference: not on every run
        log.debug("Secret Fetch in '{}' resolved '{}' into variable '{}'",
            activity, value.metadata().resolvedRef(), target);
      }
    } catch (SecretException e) {
      SecretException failure = e.ref() == null && ref != null
          ? e.withRef(ref) : e;
      fail(execution, activity, failure);
    }
  }

  private static void fail(DelegateExecution execution, String activity, SecretException failure) {
    SecretFetchException exception = SecretFetchException.of(activity, failure);
    String code = failure.error().name();
    log.debug("Secret Fetch in '{}' failed with {} for '{}'", activity, code, failure.ref());
    if (ErrorRouting.isCaught(execution, code)) {
      throw new BpmnError(code, exception.getMessage(), failure);
    }
    throw exception;
  }

  private static String text(Expression e, DelegateExecution execution) {
    if (e == null) {
      return null;
    }
    Object v = e.getValue(execution);
    if (v == null) {
      return null;
    }
    if (v instanceof SecretValue) {
      throw SecretException.configuration(
          "a field of the task evaluates to a secret; fields name secrets, they do not hold them",
          "Put the secret's name in the field, not an expression that yields a secret");
    }
    String s = v.toString().trim();
    return s.isEmpty() ? null : s;
  }

  public void setProvider(Expression provider) {
    this.provider = provider;
  }

  public void setSecretName(Expression secretName) {
    this.secretName = secretName;
  }

  public void setVersion(Expression version) {
    this.version = version;
  }

  public void setOutputFormat(Expression outputFormat) {
    this.outputFormat = outputFormat;
  }

  public void setField(Expression field) {
    this.field = field;
  }

  public void setResultVariable(Expression resultVariable) {
    this.resultVariable = resultVariable;
  }
}
