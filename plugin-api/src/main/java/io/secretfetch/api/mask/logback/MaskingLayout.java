package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import io.secretfetch.api.mask.SecretMasker;

/**
 * A Logback layout that renders an event with another layout and masks the result.
 *
 * <p>The inner layout sees the event with its message, arguments, MDC, key-value pairs, thread name
 * and exception chain already masked, and the rendered text is masked once more, so neither a
 * converter that truncates a field nor one that prints something else finds a secret.
 *
 * <pre>{@code
 * <layout class="io.secretfetch.api.mask.logback.MaskingLayout">
 *   <layout class="ch.qos.logback.classic.PatternLayout">
 *     <pattern>%d %-5level [%thread] %logger - %msg %mdc%n</pattern>
 *   </layout>
 * </layout>
 * }</pre>
 *
 * <p>Uses {@link SecretMasker#shared()} unless {@link #setMasker} is called before {@link #start()}.
 */
public class MaskingLayout extends LayoutBase<ILoggingEvent> {

  private Layout<ILoggingEvent> layout;
  private SecretMasker masker = SecretMasker.shared();

  /** The layout that renders the (masked) event. */
  public void setLayout(Layout<ILoggingEvent> layout) {
    this.layout = layout;
  }

  public void setMasker(SecretMasker masker) {
    this.masker = masker;
  }

  @Override
  public void start() {
    if (layout == null) {
      addError("No inner <layout> set for the masking layout.");
      return;
    }
    if (!layout.isStarted()) {
      layout.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (layout != null) {
      layout.stop();
    }
    super.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return masker.mask(layout.doLayout(new MaskedLoggingEvent(event, masker)));
  }

  @Override
  public String getContentType() {
    return layout == null ? super.getContentType() : layout.getContentType();
  }

  @Override
  public String getFileHeader() {
    return maskOrNull(layout == null ? null : layout.getFileHeader());
  }

  @Override
  public String getPresentationHeader() {
    return maskOrNull(layout == null ? null : layout.getPresentationHeader());
  }

  @Override
  public String getPresentationFooter() {
    return maskOrNull(layout == null ? null : layout.getPresentationFooter());
  }

  @Override
  public String getFileFooter() {
    return maskOrNull(layout == null ? null : layout.getFileFooter());
  }

  private String maskOrNull(String text) {
    return text == null ? null : masker.mask(text);
  }
}
