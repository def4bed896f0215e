package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.secretfetch.api.mask.SecretMasker;
import java.nio.charset.Charset;

/**
 * A Logback encoder that encodes an event with another encoder and masks the result.
 *
 * <p>The inner encoder sees the event with its free-text parts already masked (see
 * {@link MaskingLayout}); its bytes are then decoded, masked and re-encoded in the inner encoder's
 * charset (or the one set here, or the platform default), so any encoder, including JSON encoders,
 * can be wrapped.
 *
 * <pre>{@code
 * <encoder class="io.secretfetch.api.mask.logback.MaskingEncoder">
 *   <encoder class="ch.qos.logback.classic.encoder.PatternLayoutEncoder">
 *     <pattern>%d %-5level [%thread] %logger - %msg %mdc%n</pattern>
 *   </encoder>
 * </encoder>
 * }</pre>
 *
 * <p>Uses {@link SecretMasker#shared()} unless {@link #setMasker} is called before {@link #start()}.
 */
public class MaskingEncoder extends EncoderBase<ILoggingEvent> {

  private Encoder<ILoggingEvent> encoder;
  private SecretMasker masker = SecretMasker.shared();
  private Charset charset;

  /** The encoder that renders the (masked) event. */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setMasker(SecretMasker masker) {
    this.masker = masker;
  }

  /** The charset of the inner encoder's bytes, when it is not a layout-wrapping encoder. */
  public void setCharset(Charset charset) {
    this.charset = charset;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No inner <encoder> set for the masking encoder.");
      return;
    }
    if (!encoder.isStarted()) {
      encoder.start();
    }
    if (charset == null) {
      charset = encoder instanceof LayoutWrappingEncoder<?> wrapping && wrapping.getCharset() != null
          ? wrapping.getCharset()
          : Charset.defaultCharset();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (encoder != null) {
      encoder.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return mask(encoder.headerBytes());
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return mask(encoder.encode(new MaskedLoggingEvent(event, masker)));
  }

  @Override
  public byte[] footerBytes() {
    return mask(encoder.footerBytes());
  }

  private byte[] mask(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return bytes;
    }
    String text = new String(bytes, charset);
    String masked = masker.mask(text);
    return masked == text ? bytes : masked.getBytes(charset);
  }
}
