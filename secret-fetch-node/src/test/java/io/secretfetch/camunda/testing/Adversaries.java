package io.secretfetch.camunda.testing;

import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.SecretInputs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.LoggerFactory;

/**
 * Delegates that try what an attacker (or careless code) would, each through a path the variable
 * guard does not look at: engine free text, thrown errors, log lines, the standard streams and
 * encodings of the value. What the engine refused is recorded in {@link #REFUSED}.
 */
public final class Adversaries {
  public static final List<String> REFUSED = new CopyOnWriteArrayList<>();

  private Adversaries() {}

  static String key(DelegateExecution execution) {
    return SecretInputs.get(execution, "apiKey").reveal();
  }

  /** A comment on the process instance, a custom incident with an annotation, all with the key. */
  public static final class WritesEngineFreeText implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      String key = key(execution);
      var services = execution.getProcessEngineServices();
      services.getTaskService().createComment(null, execution.getProcessInstanceId(),
          "called the API with " + key);
      Incident incident = execution.createIncident("custom", "cfg " + key, "failed with " + key);
      services.getRuntimeService().setAnnotationForIncidentById(incident.getId(),
          "operator note: key " + key);
    }
  }

  /** Throws an Error, not an Exception, with the key in its message. */
  public static final class ThrowsAssertionError implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      throw new AssertionError("expected a valid response for key " + key(execution));
    }
  }

  /** Logs the key through a user logger and prints it to both standard streams. */
  public static final class LogsAndPrints implements JavaDelegate {
    @Override
    @SuppressWarnings("java:S106") // printing is the point: the plugin must mask the streams
    public void execute(DelegateExecution execution) {
      String key = key(execution);
      LoggerFactory.getLogger("com.example.orders.Delegate")
          .warn("calling the API with key {}", key, new IllegalStateException("key " + key));
      System.out.println("stdout: key=" + key);
      System.err.println("stderr: key=" + key);
    }
  }

  /**
   * The key as character references mixed with literal characters, in a comment, and as UTF-16
   * inside a serialized object (a char[]), in a variable.
   */
  public static final class EncodesTheKey implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      String key = key(execution);
      StringBuilder refs = new StringBuilder();
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        refs.append(i % 3 == 0 ? "&#" + (int) c + ";" : i % 3 == 1 ? "&#x" + Integer.toHexString(c)
            + ";" : String.valueOf(c));
      }
      execution.getProcessEngineServices().getTaskService()
          .createComment(null, execution.getProcessInstanceId(), "<p>" + refs + "</p>");
      try {
        ArrayList<Serializable> holder = new ArrayList<>();
        holder.add(key.toCharArray());
        execution.setVariable("chars", Variables.objectValue(holder)
            .serializationDataFormat(Variables.SerializationDataFormats.JAVA).create());
      } catch (SecretFetchException refused) {
        REFUSED.add("chars");
      }
    }
  }

  /** A decision table fed the key: {@code apiKeyInput} is evaluated as a decision input. */
  public static String dmn(String decisionId) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" id=\"d\""
        + " name=\"d\" namespace=\"http://secretfetch.io/test\">"
        + "<decision id=\"" + decisionId + "\" name=\"Route\"><decisionTable id=\"t\">"
        + "<input id=\"in\" label=\"Key\"><inputExpression id=\"ie\" typeRef=\"string\""
        + " expressionLanguage=\"juel\"><text>${apiKey.reveal()}</text></inputExpression></input>"
        + "<output id=\"out\" name=\"route\" typeRef=\"string\"/>"
        + "<rule id=\"r\"><inputEntry id=\"e\"><text></text></inputEntry>"
        + "<outputEntry id=\"o\"><text>\"default\"</text></outputEntry></rule>"
        + "</decisionTable></decision></definitions>";
  }
}
