package io.secretfetch.api.mask;

import io.secretfetch.api.mask.internal.MaskerChain;
import java.util.Collections;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Masks what {@code java.util.logging} writes: the formatter of every handler of every logger the
 * {@link LogManager} knows is wrapped in one that masks the formatted record (message, parameters,
 * the thrown exception's text), its head and its tail, with every installed masker in turn. It is
 * applied again whenever the LogManager reads its configuration.
 *
 * <p>Handlers that forward to SLF4J (jul-to-slf4j's {@code SLF4JBridgeHandler}, which Spring Boot
 * installs) are left alone: what they forward is masked by the SLF4J back end's masking.
 *
 * <p><b>What it does not reach.</b> A handler added after installation, other than through the
 * LogManager's configuration, is unmasked until the next {@link #install}; a handler that does not
 * write through its formatter (a custom {@code publish}) is not masked; a handler that refuses a new
 * formatter (a security manager) keeps its own.
 */
public final class JulMasking {

  private static final MaskerChain CHAIN = new MaskerChain();
  private static final Runnable REAPPLY = JulMasking::wrapAll;
  private static boolean listening;

  private JulMasking() {}

  /** Masks every JUL handler's output with {@code masker} (idempotent per masker). */
  public static Installation install(SecretMasker masker) {
    Objects.requireNonNull(masker, "masker must not be null");
    synchronized (CHAIN) {
      CHAIN.add(masker);
      if (!listening) {
        LogManager.getLogManager().addConfigurationListener(REAPPLY);
        listening = true;
      }
    }
    wrapAll();
    return new Installation(masker);
  }

  /** Whether JUL output is masked with {@code masker}. */
  public static boolean isInstalled(SecretMasker masker) {
    return CHAIN.contains(masker);
  }

  private static void wrapAll() {
    synchronized (CHAIN) {
      LogManager manager = LogManager.getLogManager();
      for (String name : Collections.list(manager.getLoggerNames())) {
        Logger logger = manager.getLogger(name);
        if (logger != null) {
          for (Handler handler : logger.getHandlers()) {
            wrap(handler);
          }
        }
      }
    }
  }

  private static void wrap(Handler handler) {
    Formatter formatter = handler.getFormatter();
    if (formatter == null || formatter instanceof MaskingFormatter
        || handler.getClass().getName().equals("org.slf4j.bridge.SLF4JBridgeHandler")) {
      return;
    }
    try {
      handler.setFormatter(new MaskingFormatter(formatter));
    } catch (SecurityException e) {
      // the handler keeps its formatter; documented
    }
  }

  private static void unwrapAll() {
    LogManager manager = LogManager.getLogManager();
    for (String name : Collections.list(manager.getLoggerNames())) {
      Logger logger = manager.getLogger(name);
      if (logger != null) {
        for (Handler handler : logger.getHandlers()) {
          if (handler.getFormatter() instanceof MaskingFormatter masking) {
            handler.setFormatter(masking.delegate);
          }
        }
      }
    }
  }

  /** One masker's share of JUL masking; {@link #close()} takes it back. */
  public static final class Installation implements AutoCloseable {
    private final SecretMasker masker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Installation(SecretMasker masker) {
      this.masker = masker;
    }

    /** Removes the masker; when none is left, the handlers get their own formatters back. */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      synchronized (CHAIN) {
        if (CHAIN.remove(masker)) {
          LogManager.getLogManager().removeConfigurationListener(REAPPLY);
          listening = false;
          unwrapAll();
        }
      }
    }
  }

  /** A formatter that masks what another one produces. */
  static final class MaskingFormatter extends Formatter {
    final Formatter delegate;

    MaskingFormatter(Formatter delegate) {
      this.delegate = delegate;
    }

    @Override
    public String format(LogRecord record) {
      return CHAIN.mask(delegate.format(record));
    }

    @Override
    public String formatMessage(LogRecord record) {
      return CHAIN.mask(delegate.formatMessage(record));
    }

    @Override
    public String getHead(Handler h) {
      return CHAIN.mask(delegate.getHead(h));
    }

    @Override
    public String getTail(Handler h) {
      return CHAIN.mask(delegate.getTail(h));
    }
  }
}
