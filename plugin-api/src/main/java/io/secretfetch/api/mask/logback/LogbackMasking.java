package io.secretfetch.api.mask.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.ConfigurationEvent;
import ch.qos.logback.core.spi.ConfigurationEventListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import io.secretfetch.api.mask.SecretMasker;
import io.secretfetch.api.mask.internal.MaskerChain;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Masks everything a Logback {@link LoggerContext} logs, whatever its configuration: every appender
 * attached to any logger is replaced by a {@link MaskingAppender} that hands it masked events, so
 * the user's own appenders, the engine's DEBUG SQL lines, MDC values and exception messages all
 * pass the masker before any appender, encoder or layout sees them.
 *
 * <pre>{@code
 * LogbackMasking.Installation masking = LogbackMasking.install(loggerContext, resolver.masker());
 * ...
 * masking.close(); // when the last masker of the context leaves, the original appenders return
 * }</pre>
 *
 * <p><b>Kept across reconfiguration.</b> Logback fires a configuration event at the end of every
 * Joran configuration (a {@code scan="true"} reload, {@code JoranConfigurator.doConfigure} after
 * {@code reset()}, Spring Boot's {@code logback-spring.xml} or {@code logback.xml}); configuration
 * event listeners survive {@code reset()} and {@code stop()}, and on each such event the new
 * appenders are wrapped. A reset-resistant context listener does the same on {@code start()}, for
 * programmatic configuration that ends with {@code context.start()} (Spring Boot's built-in
 * default, used when no Logback file is found). {@code stop()} removes every context listener; a
 * reset-resistant status listener puts it back as soon as the new configuration reports anything
 * (console and file appenders report their settings when they start).
 *
 * <p><b>Several maskers.</b> One installation per context; each {@link #install} adds its masker
 * to the context's chain, and events are masked by each masker in turn. Installing the same masker
 * again only counts it (nothing is wrapped twice). Maskers are held weakly, so an engine that is
 * dropped leaves nothing behind.
 *
 * <p><b>What it does not reach.</b> An appender attached programmatically after installation (to
 * a logger directly, without a Joran configuration or a context start) is unmasked until the next
 * configuration or {@link #install}; attach it before, or call {@link #refresh}. A programmatic
 * configuration after {@code stop()} whose appenders report no status before {@code start()} is
 * not seen until the next configuration or install. An event logged
 * on another thread in the instant an appender is swapped may miss that appender (it is never
 * delivered unmasked). Logger names, markers and caller data are not masked. Detach a wrapped
 * appender by name: {@code detachAppender(appender)} with the original instance finds nothing.
 */
public final class LogbackMasking {

  private static final Map<LoggerContext, ContextMasking> CONTEXTS = new WeakHashMap<>();

  private LogbackMasking() {}

  /**
   * Wraps every appender of {@code context} so that it receives events masked by {@code masker}
   * (and by every other masker installed on this context), now and after every reconfiguration.
   */
  public static Installation install(LoggerContext context, SecretMasker masker) {
    Objects.requireNonNull(context, "context must not be null");
    Objects.requireNonNull(masker, "masker must not be null");
    ContextMasking state;
    synchronized (CONTEXTS) {
      state = CONTEXTS.computeIfAbsent(context, ContextMasking::new);
      state.chain.add(masker);
    }
    state.attachListeners();
    state.wrapAll();
    return new Installation(state, masker);
  }

  /** Wraps appenders attached to {@code context} since the last installation or configuration. */
  public static void refresh(LoggerContext context) {
    ContextMasking state;
    synchronized (CONTEXTS) {
      state = CONTEXTS.get(context);
    }
    if (state != null) {
      state.wrapAll();
    }
  }

  /** Whether events reaching {@code context}'s appenders are masked with {@code masker}. */
  public static boolean isInstalled(LoggerContext context, SecretMasker masker) {
    synchronized (CONTEXTS) {
      ContextMasking state = CONTEXTS.get(context);
      return state != null && state.chain.contains(masker);
    }
  }

  /** One masker's share of a context's masking; {@link #close()} takes it back. */
  public static final class Installation implements AutoCloseable {
    private final ContextMasking state;
    private final SecretMasker masker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Installation(ContextMasking state, SecretMasker masker) {
      this.state = state;
      this.masker = masker;
    }

    /**
     * Removes this masker from the context's chain; when none is left, puts the original appenders
     * back and removes the listeners. Closing twice does nothing.
     */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      synchronized (CONTEXTS) {
        if (!state.chain.remove(masker)) {
          return;
        }
        CONTEXTS.remove(state.context);
      }
      state.detachListeners();
      state.unwrapAll();
    }
  }

  /** The masking of one context: its chain, and the listeners that re-wrap after configuration. */
  private static final class ContextMasking
      implements ConfigurationEventListener, LoggerContextListener, StatusListener {
    final LoggerContext context;
    final MaskerChain chain = new MaskerChain();
    private boolean configurationListenerAdded;

    ContextMasking(LoggerContext context) {
      this.context = context;
    }

    synchronized void attachListeners() {
      if (!configurationListenerAdded) {
        context.addConfigurationEventListener(this);
        context.getStatusManager().add((StatusListener) this);
        configurationListenerAdded = true;
      }
      addContextListener();
    }

    /**
     * {@code stop()} drops every context listener, reset-resistant or not, while reset-resistant
     * status listeners stay: so the context listener goes back whenever it is missing and the
     * context reports anything (appenders starting report their settings), in time for the
     * {@code start()} that ends a programmatic configuration. Takes no lock: the status manager
     * calls this under its own. The context keeps its listeners in a plain list; a status a
     * listener reports while the context notifies them (Spring Boot's level propagator does) must
     * not change it, so the listener waits for the next status then.
     */
    private void addContextListener() {
      if (!context.getCopyOfListenerList().contains(this) && !insideContextNotification()) {
        context.addListener(this);
      }
    }

    private static boolean insideContextNotification() {
      return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
          f.getClassName().equals(LoggerContext.class.getName())
              && f.getMethodName().startsWith("fireOn")));
    }

    synchronized void detachListeners() {
      context.removeConfigurationEventListener(this);
      context.getStatusManager().remove(this);
      configurationListenerAdded = false;
      while (context.getCopyOfListenerList().contains(this)) {
        context.removeListener(this);
      }
    }

    synchronized void wrapAll() {
      Map<Appender<ILoggingEvent>, MaskingAppender> wrappers = new IdentityHashMap<>();
      for (Logger logger : context.getLoggerList()) {
        for (Appender<ILoggingEvent> appender : appenders(logger)) {
          if (appender instanceof MaskingAppender) {
            continue;
          }
          MaskingAppender wrapper =
              wrappers.computeIfAbsent(appender, a -> new MaskingAppender(a, chain));
          // Detach first: an event in between may miss this appender, but never reaches it raw.
          logger.detachAppender(appender);
          logger.addAppender(wrapper);
        }
      }
    }

    synchronized void unwrapAll() {
      for (Logger logger : context.getLoggerList()) {
        for (Appender<ILoggingEvent> appender : appenders(logger)) {
          if (appender instanceof MaskingAppender wrapper && wrapper.belongsTo(chain)) {
            logger.detachAppender(wrapper);
            logger.addAppender(wrapper.delegate());
          }
        }
      }
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
      List<Appender<ILoggingEvent>> out = new ArrayList<>();
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        out.add(it.next());
      }
      return out;
    }

    @Override
    public void listen(ConfigurationEvent event) {
      switch (event.getEventType()) {
        case CONFIGURATION_ENDED_SUCCESSFULLY, CONFIGURATION_ENDED_WITH_XML_PARSING_ERRORS,
            PARTIAL_CONFIGURATION_ENDED_SUCCESSFULLY -> {
          attachListeners();
          wrapAll();
        }
        default -> { }
      }
    }

    @Override
    public boolean isResetResistant() {
      return true; // both as a context listener and as a status listener
    }

    @Override
    public void addStatusEvent(Status status) {
      addContextListener();
    }

    @Override
    public void onStart(LoggerContext loggerContext) {
      wrapAll();
    }

    @Override
    public void onReset(LoggerContext loggerContext) {
      // reset() detaches and stops every appender, wrappers included; the next ones are wrapped
      // when the configuration that follows ends.
    }

    @Override
    public void onStop(LoggerContext loggerContext) {
      // nothing to release: the appenders are gone
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
      // levels do not change what an appender sees
    }

    @Override
    public String toString() {
      return "Secret Fetch log masking";
    }
  }
}
