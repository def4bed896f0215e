package io.secretfetch.camunda.internal.write;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ByteArrayEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;

/**
 * What an entity field is, in Camunda's words, and what a secret in it gets: prose (a message, a
 * comment, a reason) is masked and written; everything else is an identifier or key the engine
 * stores and queries as it is, and the command is refused. A field nobody listed is an identifier,
 * so a new column is refused rather than silently masked.
 */
final class Columns {
  /** Free text, by field name, in every entity that has it. */
  private static final Set<String> PROSE = Set.of(
      "message", "fullMessage", "fullMessageBytes", "exceptionMessage", "jobExceptionMessage",
      "errorMessage", "incidentMessage", "annotation", "description", "deleteReason", "orgValue",
      "newValue");
  /** Free text in the entities whose simple class name starts with the key. */
  private static final Map<String, Set<String>> PROSE_IN = Map.of(
      "IncidentEntity", Set.of("configuration", "historyConfiguration"),
      "HistoricIncident", Set.of("configuration", "historyConfiguration"));
  /** Byte arrays that hold a stack trace or a worker's error details. */
  private static final String STACK_TRACE_SUFFIX = "exceptionByteArray";

  /** Field words where splitting the Java name does not say what the column is. */
  private static final Map<String, String> WORDS = Map.of(
      "eventName", "message or signal name",
      "bytes", "content",
      "textValue", "text value",
      "textValue2", "second text value",
      "procDefKey", "process definition key");

  /** Fields that name the BPMN element an entity belongs to. */
  private static final Set<String> ELEMENT_FIELDS = Set.of("taskDefinitionKey", "activityId");

  private Columns() {}

  static boolean isProse(Object entity, String field) {
    if (PROSE.contains(field)) {
      return true;
    }
    if (entity instanceof ByteArrayEntity bytes) {
      return "bytes".equals(field) && bytes.getName() != null
          && bytes.getName().endsWith(STACK_TRACE_SUFFIX);
    }
    String type = entity.getClass().getSimpleName();
    for (Map.Entry<String, Set<String>> e : PROSE_IN.entrySet()) {
      if (type.startsWith(e.getKey()) && e.getValue().contains(field)) {
        return true;
      }
    }
    return false;
  }

  /** E.g. "the business key of process instance 42", "the name of task 7". */
  static String describe(Object entity, String field) {
    String id = entity instanceof DbEntity e && e.getId() != null ? " " + e.getId() : "";
    String words = WORDS.getOrDefault(field, words(field));
    if (entity instanceof ByteArrayEntity bytes && bytes.getName() != null) {
      return "the " + words + " of byte array '" + bytes.getName() + "'" + id;
    }
    return "the " + words + " of " + kind(entity) + id + element(entity);
  }

  /** " at element 'reviewOrder'" for entities that belong to a BPMN element, else "". */
  private static String element(Object entity) {
    for (Field f : EntityFields.of(entity.getClass())) {
      if (ELEMENT_FIELDS.contains(f.getName())) {
        try {
          Object value = f.get(entity);
          if (value != null) {
            return " at element '" + value + "'";
          }
        } catch (IllegalAccessException e) {
          return "";
        }
      }
    }
    return "";
  }

  /** The entity as Camunda's documentation calls it: "process instance", "historic task instance". */
  static String kind(Object entity) {
    if (entity instanceof ExecutionEntity execution) {
      return execution.isProcessInstanceExecution() ? "process instance" : "execution";
    }
    return kind(entity.getClass());
  }

  /** The entity type as Camunda's documentation calls it. */
  static String kind(Class<?> type) {
    String name = type.getSimpleName();
    for (String suffix : new String[] {"EventEntity", "Entity", "Impl"}) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        name = name.substring(0, name.length() - suffix.length());
        break;
      }
    }
    return words(name);
  }

  private static String words(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append(' ');
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }
}
