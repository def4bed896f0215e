package io.secretfetch.api.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking every secret a flow needs: all problems at once, not just the first, so
 * an operator can fix them in one go. Immutable; never holds a secret value.
 */
public final class ValidationReport {
  private static final ValidationReport OK = new ValidationReport("", List.of());

  private final String subject;
  private final List<ValidationProblem> problems;

  private ValidationReport(String subject, List<ValidationProblem> problems) {
    this.subject = subject;
    this.problems = problems;
  }

  /** A report with no problems. */
  public static ValidationReport ok() {
    return OK;
  }

  /**
   * @param subject what was checked, e.g. {@code process 'invoice' (tenant acme)}; used in {@link
   *     #summary()}
   * @param problems the problems found, in the order found; copied
   */
  public static ValidationReport of(String subject, Collection<ValidationProblem> problems) {
    Objects.requireNonNull(subject, "subject");
    return problems.isEmpty()
        ? new ValidationReport(subject, List.of())
        : new ValidationReport(subject, Collections.unmodifiableList(new ArrayList<>(problems)));
  }

  public boolean isOk() {
    return problems.isEmpty();
  }

  public String subject() {
    return subject;
  }

  public List<ValidationProblem> problems() {
    return problems;
  }

  /**
   * One line per problem after a heading, for exception messages and logs:
   *
   * <pre>
   * process 'invoice': 2 secrets do not resolve:
   *   [NOT_FOUND] slot 'memory:api-key' (used by fetchKey): ... Remedy: ...
   *   [ACCESS_DENIED] slot ...
   * </pre>
   */
  public String summary() {
    if (problems.isEmpty()) {
      return subject + ": every secret resolves";
    }
    StringBuilder sb = new StringBuilder(subject).append(": ").append(problems.size())
        .append(problems.size() == 1 ? " secret does" : " secrets do").append(" not resolve:");
    for (ValidationProblem p : problems) {
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }

  /**
   * The report as JSON, for tools and the CLI's {@code --json}: {@code {"subject", "ok",
   * "problems": [{"slot", "file", "element", "ref", "code", "detail", "remedy"}]}}, absent facts
   * left out. Deterministic, two-space indented, ending in a newline.
   */
  public String toJson() {
    ObjectNode root = ManifestJson.MAPPER.createObjectNode();
    root.put("subject", subject);
    root.put("ok", isOk());
    ArrayNode list = root.putArray("problems");
    for (ValidationProblem p : problems) {
      ObjectNode o = list.addObject();
      o.put("slot", p.slot());
      putIfSet(o, "file", p.file());
      putIfSet(o, "element", p.element());
      putIfSet(o, "ref", p.ref() == null ? null : p.ref().toString());
      o.put("code", p.code().name());
      o.put("detail", p.detail());
      o.put("remedy", p.remedy());
    }
    return ManifestJson.write(root);
  }

  private static void putIfSet(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  @Override
  public String toString() {
    return summary();
  }
}
