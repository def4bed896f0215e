package io.secretfetch.camunda.testing;

import io.secretfetch.camunda.SecretFetchDelegate;
import java.util.ArrayList;
import java.util.List;

/** Writes small linear BPMN processes as XML text, so tests show exactly what is deployed. */
public final class Flow {
  private final String id;
  private final List<String> nodeIds = new ArrayList<>();
  private final List<String> nodes = new ArrayList<>();
  private final List<String> extras = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private String processExtensions = "";

  private Flow(String id) {
    this.id = id;
    step("start", "<startEvent id=\"start\"/>");
  }

  public static Flow process(String id) {
    return new Flow(id);
  }

  /** A Secret Fetch task with the given camunda:fields (name, value pairs). */
  public Flow fetch(String taskId, String... fields) {
    return fetchWith(taskId, "", "", fields);
  }

  /** A Secret Fetch task with extra attributes (e.g. camunda:asyncBefore) and extension XML. */
  public Flow fetchWith(String taskId, String attributes, String extraExtensions, String... fields) {
    StringBuilder ext = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      ext.append("<camunda:field name=\"").append(fields[i]).append("\" stringValue=\"")
          .append(xml(fields[i + 1])).append("\"/>");
    }
    ext.append(extraExtensions);
    return step(taskId, "<serviceTask id=\"" + taskId + "\" camunda:class=\""
        + SecretFetchDelegate.CLASS_NAME + "\" " + attributes + "><extensionElements>" + ext
        + "</extensionElements></serviceTask>");
  }

  /** A service task running {@code delegate}, with extra attributes and extension XML. */
  public Flow service(String taskId, Class<?> delegate, String attributes, String extensions) {
    return step(taskId, "<serviceTask id=\"" + taskId + "\" camunda:class=\"" + delegate.getName()
        + "\" " + attributes + ">" + (extensions.isEmpty() ? ""
            : "<extensionElements>" + extensions + "</extensionElements>") + "</serviceTask>");
  }

  public Flow service(String taskId, Class<?> delegate) {
    return service(taskId, delegate, "", "");
  }

  public Flow userTask(String taskId) {
    return step(taskId, "<userTask id=\"" + taskId + "\"/>");
  }

  /** Any flow node, given as XML with the given id. */
  public Flow node(String nodeId, String xml) {
    return step(nodeId, xml);
  }

  /** XML outside the linear chain: boundary events, their targets and flows. */
  public Flow extra(String xml) {
    extras.add(xml);
    return this;
  }

  /**
   * Catches BPMN error {@code errorCode} on {@code taskId} with a boundary event that stores the
   * error message in variable {@code why} and leads to user task {@code handle}.
   */
  public Flow catchError(String taskId, String errorCode) {
    String error = "error" + errors.size();
    errors.add("<error id=\"" + error + "\" errorCode=\"" + errorCode + "\"/>");
    return extra("<boundaryEvent id=\"on" + error + "\" attachedToRef=\"" + taskId + "\">"
        + "<errorEventDefinition errorRef=\"" + error + "\" camunda:errorMessageVariable=\"why\"/>"
        + "</boundaryEvent><userTask id=\"handle\"/><sequenceFlow id=\"toHandle\" sourceRef=\"on"
        + error + "\" targetRef=\"handle\"/>");
  }

  public Flow processExtensions(String xml) {
    this.processExtensions = xml;
    return this;
  }

  private Flow step(String nodeId, String xml) {
    nodeIds.add(nodeId);
    nodes.add(xml);
    return this;
  }

  public String xml() {
    StringBuilder sb = new StringBuilder()
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"")
        .append(" xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\"")
        .append(" targetNamespace=\"http://secretfetch.io/test\">\n");
    errors.forEach(e -> sb.append(e).append('\n'));
    sb.append("<process id=\"").append(id).append("\" isExecutable=\"true\">\n");
    if (!processExtensions.isEmpty()) {
      sb.append("<extensionElements>").append(processExtensions).append("</extensionElements>\n");
    }
    for (String n : nodes) {
      sb.append(n).append('\n');
    }
    sb.append("<endEvent id=\"end\"/>\n");
    List<String> chain = new ArrayList<>(nodeIds);
    chain.add("end");
    for (int i = 0; i + 1 < chain.size(); i++) {
      sb.append("<sequenceFlow id=\"f").append(i).append("\" sourceRef=\"").append(chain.get(i))
          .append("\" targetRef=\"").append(chain.get(i + 1)).append("\"/>\n");
    }
    extras.forEach(e -> sb.append(e).append('\n'));
    return sb.append("</process>\n</definitions>\n").toString();
  }

  public String resourceName() {
    return id + ".bpmn";
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }
}
