package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.bpmn.helper.ErrorDeclarationForProcessInstanceFinder;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityExecution;
import org.camunda.bpm.engine.impl.tree.ActivityExecutionHierarchyWalker;

/** Whether the model catches a BPMN error code where an execution stands. */
public final class ErrorRouting {
  private ErrorRouting() {}

  /**
   * Whether an error event (boundary or event sub-process, here or in an enclosing scope or calling
   * process) catches {@code errorCode} — the same search the engine makes when the error is thrown,
   * without its side effects.
   */
  public static boolean isCaught(DelegateExecution execution, String errorCode) {
    if (!(execution instanceof ActivityExecution activityExecution)
        || activityExecution.getActivity() == null) {
      return false;
    }
    ErrorDeclarationForProcessInstanceFinder finder =
        new ErrorDeclarationForProcessInstanceFinder(
            null, errorCode, activityExecution.getActivity());
    ActivityExecutionHierarchyWalker walker = new ActivityExecutionHierarchyWalker(activityExecution);
    walker.addScopePreVisitor(finder);
    walker.walkUntil(element -> finder.getErrorEventDefinition() != null || element == null);
    return finder.getErrorHandlerActivity() != null;
  }
}
