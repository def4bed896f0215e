package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.SingleQueryVariableValueCondition;
import org.camunda.bpm.engine.impl.cmd.CompleteExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskFailureCmd;
import org.camunda.bpm.engine.impl.context.BpmnExecutionContext;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricDecisionInputInstanceEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricDecisionOutputInstanceEntity;
import org.camunda.bpm.engine.impl.interceptor.CommandInvocationContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricDetailVariableInstanceUpdateEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricVariableInstanceEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFieldsImpl;

/**
 * What the plaintext guard says when it refuses a value: it names the thing the value belongs to
 * in Camunda's terms — a variable (and the activity or worker that set it), its history, a
 * decision's input or output, a query condition — with a remedy that applies to that thing. The
 * engine hands every one of them to a serializer as the same {@link ValueFields}.
 */
final class GuardMessages {
  private static final String KEEP_SECRET = "keep secrets in secret variables: set the SecretValue"
      + " itself (not reveal(), nor an object, JSON or bytes holding it) and read it with"
      + " SecretInputs.get";

  private GuardMessages() {}

  /** The refusal message for a value of type {@code type} written into {@code fields}. */
  static String refusal(ValueFields fields, String type) {
    String name = fields.getName();
    if (fields instanceof SingleQueryVariableValueCondition) {
      return "a query compares variable '" + name + "' with a secret value; secret variables store"
          + " only references, so they cannot be searched for by value";
    }
    if (fields instanceof HistoricDecisionInputInstanceEntity input) {
      return "input " + clause(input.getClauseName(), input.getClauseId()) + " of a decision"
          + evaluatedIn() + " is a secret value (type " + type + "); the engine records every"
          + " decision's inputs in history (ACT_HI_DEC_IN), so do not pass a secret to a decision:"
          + " decide on a fact about it (e.g. whether it is set) computed in a delegate, or use the"
          + " secret in a delegate instead";
    }
    if (fields instanceof HistoricDecisionOutputInstanceEntity output) {
      return "output " + clause(output.getVariableName(), output.getClauseId()) + " of a decision"
          + evaluatedIn() + " is a secret value (type " + type + "); the engine records every"
          + " decision's outputs in history (ACT_HI_DEC_OUT), so a decision must not return a"
          + " secret: return a reference or a name and fetch the secret with a Secret Fetch task";
    }
    if (fields instanceof ValueFieldsImpl) {
      return "an object variable was changed in place after it was set and now holds a secret"
          + " value as plain text (the engine stores it again when the command ends)"
          + evaluatedIn() + "; " + KEEP_SECRET;
    }
    String what = fields instanceof HistoricVariableInstanceEntity
        || fields instanceof HistoricDetailVariableInstanceUpdateEntity
        ? "the history of variable '" + name + "'" : "variable '" + name + "'";
    String worker = workerCommand();
    if (worker != null) {
      return what + " (type " + type + "), sent by an external task worker with " + worker
          + ", would store a secret value as plain text; a worker keeps the secrets it resolves:"
          + " do not send their values, or anything built from them, back to the engine";
    }
    return what + " (type " + type + ") would store a secret value as plain text"
        + evaluatedIn() + "; " + KEEP_SECRET;
  }

  private static String clause(String name, String id) {
    return name == null || name.isBlank() || name.equals(id)
        ? "'" + id + "'" : "'" + name + "' (" + id + ")";
  }

  /** " in activity 'id' ('name')" for the activity running now, or "". */
  private static String evaluatedIn() {
    BpmnExecutionContext context = Context.getBpmnExecutionContext();
    ExecutionEntity execution = context == null ? null : context.getExecution();
    ActivityImpl activity = execution == null ? null : execution.getActivity();
    if (activity == null) {
      return "";
    }
    Object label = activity.getProperty("name");
    return " in activity '" + activity.getId() + "'"
        + (label == null ? "" : " ('" + label + "')");
  }

  /** The worker's call when the running command is one, outside any activity; else null. */
  private static String workerCommand() {
    if (Context.getBpmnExecutionContext() != null) {
      return null; // the flow is running: a delegate or mapping set it, not the worker
    }
    CommandInvocationContext invocation = Context.getCommandInvocationContext();
    Object command = invocation == null ? null : invocation.getCommand();
    if (!(command instanceof HandleExternalTaskCmd)) {
      return null;
    }
    return command instanceof CompleteExternalTaskCmd ? "complete"
        : command instanceof HandleExternalTaskFailureCmd ? "handleFailure"
        : command instanceof HandleExternalTaskBpmnErrorCmd ? "handleBpmnError"
        : command.getClass().getSimpleName();
  }
}
