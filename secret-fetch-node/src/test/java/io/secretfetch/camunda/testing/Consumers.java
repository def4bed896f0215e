package io.secretfetch.camunda.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.SecretInput;
import io.secretfetch.camunda.SecretInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;

/** Delegates that consume secrets the way users' delegates should. */
public final class Consumers {
  /** Plaintext each consumer saw, in order; tests clear it. */
  public static final List<String> SEEN = new CopyOnWriteArrayList<>();
  /** The variables {@link StoresPlaintextInOtherShapes} was refused, in order; tests clear it. */
  public static final List<String> REFUSED = new CopyOnWriteArrayList<>();

  private Consumers() {}

  /** Reads process variable {@code apiKey} with SecretInputs and records its plaintext. */
  public static final class UseApiKey implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      SecretValue key = SecretInputs.get(execution, "apiKey");
      SEEN.add(key.reveal());
    }
  }

  /** Declares secret input {@code token} and records its plaintext. */
  @SecretInput("token")
  public static final class UseToken implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      SEEN.add(SecretInputs.get(execution, "token").reveal());
    }
  }

  /**
   * Declares field {@code authorization} a secret: the injected expression yields the rendered
   * secret, whose plaintext it records.
   */
  @SecretInput("authorization")
  public static final class UseAuthorizationField implements JavaDelegate {
    private org.camunda.bpm.engine.delegate.Expression authorization;

    public void setAuthorization(org.camunda.bpm.engine.delegate.Expression authorization) {
      this.authorization = authorization;
    }

    @Override
    public void execute(DelegateExecution execution) {
      SEEN.add(((SecretValue) authorization.getValue(execution)).reveal());
    }
  }

  /** Fails the way careless code does: the secret in the message and in the cause's message. */
  public static final class LeakyFailure implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) throws Exception {
      String key = SecretInputs.get(execution, "apiKey").reveal();
      throw new IllegalStateException("call failed with key " + key,
          new IOException("401 Unauthorized for Authorization: Bearer " + key));
    }
  }

  /** Tries to store the plaintext in an ordinary variable. */
  public static final class CopiesPlaintext implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("copy", SecretInputs.get(execution, "apiKey").reveal());
    }
  }

  /** Copies the secret variable itself (allowed: it stays a secret). */
  public static final class CopiesSecret implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("copy", execution.getVariable("apiKey"));
    }
  }

  /** Throws a BPMN error whose message carries the secret. */
  public static final class LeakyBpmnError implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      throw new org.camunda.bpm.engine.delegate.BpmnError("LEAK",
          "rejected key " + SecretInputs.get(execution, "apiKey").reveal());
    }
  }

  /**
   * Tries to store the plaintext in every other shape a variable can take — a serialized Java
   * object, bytes, a file, a JSON document as a string, a base64 Basic credential — catching each
   * refusal, as careless code would, and carrying on; records the refused names in REFUSED.
   */
  public static final class StoresPlaintextInOtherShapes implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      String key = SecretInputs.get(execution, "apiKey").reveal();
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      Map<String, Object> attempts = new LinkedHashMap<>();
      attempts.put("object", new HashMap<>(Map.of("token", key)));
      attempts.put("bytes", utf8);
      attempts.put("file", Variables.fileValue("key.txt").file(utf8).create());
      attempts.put("json", "{\"token\":\""
          + new String(JsonStringEncoder.getInstance().quoteAsString(key)) + "\"}");
      attempts.put("basic", "Basic " + Base64.getEncoder()
          .encodeToString(("user:" + key).getBytes(StandardCharsets.UTF_8)));
      attempts.forEach((name, value) -> {
        try {
          execution.setVariable(name, value);
        } catch (SecretFetchException refused) {
          REFUSED.add(name);
        }
      });
    }
  }
}
