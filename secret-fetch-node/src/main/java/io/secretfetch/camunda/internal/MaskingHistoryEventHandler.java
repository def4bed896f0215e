package io.secretfetch.camunda.internal;

import java.util.List;
import org.camunda.bpm.engine.impl.history.event.HistoricExternalTaskLogEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricIncidentEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricJobLogEventEntity;

/**
 * Masks the free-text fields of history events (job failure messages, incident messages, external
 * task error messages) before the configured handler writes them.
 */
public final class MaskingHistoryEventHandler implements HistoryEventHandler {
  private final HistoryEventHandler delegate;
  private final ExceptionSanitizer sanitizer;

  public MaskingHistoryEventHandler(HistoryEventHandler delegate, ExceptionSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    delegate.handleEvent(mask(event));
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::mask);
    delegate.handleEvents(events);
  }

  private HistoryEvent mask(HistoryEvent event) {
    if (event instanceof HistoricJobLogEventEntity job && job.getJobExceptionMessage() != null) {
      job.setJobExceptionMessage(sanitizer.mask(job.getJobExceptionMessage()));
    } else if (event instanceof HistoricIncidentEventEntity incident
        && incident.getIncidentMessage() != null) {
      incident.setIncidentMessage(sanitizer.mask(incident.getIncidentMessage()));
    } else if (event instanceof HistoricExternalTaskLogEntity task
        && task.getErrorMessage() != null) {
      task.setErrorMessage(sanitizer.mask(task.getErrorMessage()));
    }
    return event;
  }
}
