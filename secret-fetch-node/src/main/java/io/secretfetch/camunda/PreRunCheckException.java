package io.secretfetch.camunda;

import io.secretfetch.api.manifest.ValidationReport;
import org.camunda.bpm.engine.ProcessEngineException;

/**
 * Starting a process instance was refused because secrets its definition names do not resolve for
 * the instance's tenant. Thrown in the start transaction, before any activity runs, so nothing of
 * the instance is kept. The message is the whole report: every missing secret, the element that
 * uses it, the code and the remedy.
 */
public class PreRunCheckException extends ProcessEngineException {
  private static final long serialVersionUID = 1L;

  private final transient ValidationReport report;

  public PreRunCheckException(ValidationReport report) {
    super(report.summary()
        + "\nNothing was started. Fix the secrets above (create, bind or grant access), then start"
        + " again.");
    this.report = report;
  }

  public ValidationReport report() {
    return report;
  }
}
