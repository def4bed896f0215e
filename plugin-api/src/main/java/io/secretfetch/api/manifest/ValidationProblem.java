package io.secretfetch.api.manifest;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import java.util.Objects;

/**
 * One reason a flow cannot run: which slot (the secret a flow needs, by the name the flow uses),
 * which element uses it, what is wrong and what to do. Never holds a secret value.
 *
 * @param slot the name the flow knows the secret by: a slot of a bundle manifest, or the
 *     canonical reference text when the flow names the secret directly
 * @param element the element that uses the secret (a BPMN activity id, or {@code field}/{@code
 *     input} within it), or null when not known
 * @param ref the reference that failed, or null when the slot is not bound to one
 * @param code why it failed
 * @param detail what happened, value-free
 * @param remedy one sentence saying what to do
 * @param file the BPMN file of a bundle that holds {@code element}, or null when not known
 */
public record ValidationProblem(
    String slot, String element, SecretRef ref, SecretError code, String detail, String remedy,
    String file) {

  public ValidationProblem {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
    remedy = remedy == null ? code.defaultRemedy() : remedy;
  }

  /** A problem not tied to a file. */
  public ValidationProblem(
      String slot, String element, SecretRef ref, SecretError code, String detail, String remedy) {
    this(slot, element, ref, code, detail, remedy, null);
  }

  /** The problem a failed check or fetch reports, attributed to a slot and an element. */
  public static ValidationProblem of(String slot, String element, SecretException failure) {
    Objects.requireNonNull(failure, "failure");
    String detail = failure.detail() == null ? failure.error().name() : failure.detail();
    return new ValidationProblem(
        slot, element, failure.ref(), failure.error(), detail, failure.remedy());
  }

  /** The same problem, located in {@code bpmnFile}. */
  public ValidationProblem inFile(String bpmnFile) {
    return new ValidationProblem(slot, element, ref, code, detail, remedy, bpmnFile);
  }

  /**
   * {@code [NOT_FOUND] slot 'api-key' (used by fetchKey in a.bpmn, ref memory:api-key): detail.
   * Remedy: ...}
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('[').append(code).append("] slot '").append(slot)
        .append('\'');
    if (element != null || ref != null) {
      sb.append(" (");
      if (element != null) {
        sb.append("used by ").append(element);
        if (file != null) {
          sb.append(" in ").append(file);
        }
      }
      if (ref != null) {
        sb.append(element != null ? ", " : "").append("ref ").append(ref);
      }
      sb.append(')');
    }
    return sb.append(": ").append(detail).append(". Remedy: ").append(remedy).toString();
  }
}
