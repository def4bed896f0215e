package io.secretfetch.camunda.internal;

import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.runtime.Incident;

/**
 * Masks the incident message before the engine's handler stores it; covers messages that do not
 * come from a sanitized exception, such as an external task worker's {@code handleFailure}.
 */
public final class MaskingIncidentHandler implements IncidentHandler {
  private final IncidentHandler delegate;
  private final ExceptionSanitizer sanitizer;

  public MaskingIncidentHandler(IncidentHandler delegate, ExceptionSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  @Override
  public String getIncidentHandlerType() {
    return delegate.getIncidentHandlerType();
  }

  @Override
  public Incident handleIncident(IncidentContext context, String message) {
    return delegate.handleIncident(context, sanitizer.mask(message));
  }

  @Override
  public void resolveIncident(IncidentContext context) {
    delegate.resolveIncident(context);
  }

  @Override
  public void deleteIncident(IncidentContext context) {
    delegate.deleteIncident(context);
  }
}
