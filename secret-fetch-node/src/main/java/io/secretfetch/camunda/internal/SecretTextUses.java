package io.secretfetch.camunda.internal;

import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.SecretFetchException;
import io.secretfetch.camunda.validation.BpmnSecretScanner;
import io.secretfetch.camunda.validation.SecretFlowValidator;
import io.secretfetch.camunda.validation.TextSites;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.context.BpmnExecutionContext;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.delegate.DelegateInvocation;
import org.camunda.bpm.engine.impl.delegate.ExpressionGetInvocation;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ProcessDefinitionImpl;
import org.camunda.bpm.impl.juel.jakarta.el.ValueExpression;

/**
 * Turns the engine's failure to use a secret as text into the plugin's message. Every expression
 * the engine evaluates passes the delegate interceptor ({@link ExpressionGetInvocation}, the same
 * for the JUEL and the Spring expression managers); one that yields a {@link SecretValue} is
 * recorded with the activity and the engine method that asked for it. When the command then
 * fails in that method — a {@code ClassCastException} ({@code (String)} of a task name, a message
 * name, a called element) or the engine's own type error (a due date, a timer, a priority, a
 * condition) — the failure becomes a {@link SecretFetchException} naming the element, what the
 * engine wanted there (from {@link TextSites}) and the fix. No list of attributes is needed: any
 * engine code that evaluates an expression and cannot use a secret is covered.
 *
 * <p>State is per thread and per outermost command; the bookkeeping costs a thread-local lookup
 * per command, and a short stack walk per expression that yields a secret.
 */
final class SecretTextUses {
  private static final int KEPT = 8;
  /** How many engine frames above an evaluation count as the code that asked for the value. */
  private static final int CONSUMER_FRAMES = 3;
  /** The evaluation itself: the expression, the invocation, interceptors, JUEL. */
  private static final List<String> EVALUATION = List.of("io.secretfetch.camunda.internal.",
      "org.camunda.bpm.engine.impl.el.JuelExpression", "org.camunda.bpm.engine.impl.delegate.",
      "org.camunda.bpm.engine.impl.interceptor.", "org.camunda.bpm.impl.juel.", "java.", "jdk.",
      "sun.");
  /** Where exceptions are built rather than thrown: reflection, the engine's loggers and checks. */
  private static final List<String> FACTORIES = List.of("java.", "jdk.", "sun.",
      "org.camunda.commons.logging.", "org.camunda.bpm.engine.impl.util.EnsureUtil");
  private static final Field VALUE_EXPRESSION = valueExpressionField();
  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private SecretTextUses() {}

  /** An expression that yielded a secret, where, and which engine method asked for it. */
  record Use(String expression, String activityId, String activityName,
      ProcessDefinitionImpl definition, List<String> consumers) {}

  private static final class State {
    int depth;
    final Deque<Use> uses = new ArrayDeque<>();
  }

  /** A command starts (commands nest: state lives until the outermost one ends). */
  static void enter() {
    STATE.get().depth++;
  }

  static void exit() {
    State s = STATE.get();
    if (--s.depth <= 0) {
      s.depth = 0;
      s.uses.clear();
    }
  }

  /** Called after every invocation of user code and expressions. */
  static void afterInvocation(DelegateInvocation invocation) {
    if (invocation instanceof ExpressionGetInvocation get
        && invocation.getInvocationResult() instanceof SecretValue) {
      record(get);
    }
  }

  private static void record(ExpressionGetInvocation invocation) {
    State s = STATE.get();
    if (s.depth == 0) {
      return; // outside a command of this engine's interceptor: nothing would translate it
    }
    List<String> consumers = StackWalker.getInstance().walk(frames -> frames
        .filter(f -> EVALUATION.stream().noneMatch(f.getClassName()::startsWith))
        .limit(CONSUMER_FRAMES)
        .map(f -> f.getClassName() + "." + f.getMethodName())
        .toList());
    if (consumers.isEmpty() || !consumers.get(0).startsWith("org.camunda.")) {
      return; // user code asked: it gets the SecretValue it can use
    }
    ActivityImpl activity = null;
    ProcessDefinitionImpl definition = null;
    BpmnExecutionContext context = Context.getBpmnExecutionContext();
    ExecutionEntity execution = context == null ? null : context.getExecution();
    if (execution != null) {
      activity = execution.getActivity();
      definition = execution.getProcessDefinition();
    }
    if (s.uses.size() == KEPT) {
      s.uses.removeFirst();
    }
    s.uses.addLast(new Use(expressionText(invocation),
        activity == null ? null : activity.getId(),
        activity == null ? null : label(activity), definition, consumers));
  }

  /**
   * {@code failure} as the plugin's refusal when it arose where the engine asked for the value of
   * an expression that yielded a secret in this command; otherwise {@code failure} itself.
   */
  static RuntimeException translate(RuntimeException failure) {
    State s = STATE.get();
    if (s.uses.isEmpty() || failure instanceof SecretFetchException) {
      return failure;
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      for (var it = s.uses.descendingIterator(); it.hasNext(); ) {
        Use use = it.next();
        if (thrownIn(t, use)) {
          SecretFetchException refusal = new SecretFetchException(message(use),
              SecretError.INVALID_INPUT, null, use.activityId(), null);
          refusal.addSuppressed(new RefusalFirst.EngineContext(failure));
          return refusal;
        }
      }
    }
    return failure;
  }

  /** Whether t was thrown by the code that asked for the value (not somewhere later). */
  private static boolean thrownIn(Throwable t, Use use) {
    int checked = 0;
    for (StackTraceElement frame : t.getStackTrace()) {
      String className = frame.getClassName();
      if (FACTORIES.stream().anyMatch(className::startsWith) || className.endsWith("Logger")) {
        continue;
      }
      if (use.consumers().contains(className + "." + frame.getMethodName())) {
        return true;
      }
      if (++checked == CONSUMER_FRAMES) {
        return false;
      }
    }
    return false;
  }

  private static String message(Use use) {
    TextSites.Site site = site(use);
    String element = site != null ? site.element()
        : use.activityId() == null ? "(unknown)"
        : "'" + use.activityId() + "'" + (use.activityName() == null ? ""
            : " ('" + use.activityName() + "')");
    String what = site != null ? site.what()
        : "the value asked for by " + simpleName(use.consumers().get(0));
    return "Element " + element + ": the expression '" + use.expression() + "' yields a secret,"
        + " but the engine needs a plain value there: " + what + ". "
        + BpmnSecretScanner.SECRETS_ARE_NOT_TEXT;
  }

  @SuppressWarnings("unchecked")
  private static TextSites.Site site(Use use) {
    if (use.definition() == null || use.expression() == null) {
      return null;
    }
    Object index = use.definition().getProperty(SecretFlowValidator.TEXT_SITES);
    if (!(index instanceof Map<?, ?> map)) {
      return null;
    }
    List<TextSites.Site> sites = (List<TextSites.Site>) map.get(use.expression().trim());
    if (sites == null || sites.isEmpty()) {
      return null;
    }
    for (TextSites.Site s : sites) {
      if (s.elementId().equals(use.activityId())) {
        return s;
      }
    }
    return sites.size() == 1 ? sites.get(0) : null;
  }

  private static String expressionText(ExpressionGetInvocation invocation) {
    try {
      Object v = VALUE_EXPRESSION == null ? null : VALUE_EXPRESSION.get(invocation);
      return v instanceof ValueExpression ve ? ve.getExpressionString() : null;
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static Field valueExpressionField() {
    try {
      Field f = ExpressionGetInvocation.class.getDeclaredField("valueExpression");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another engine version: messages then name the engine method instead
    }
  }

  /** The activity's name as modelled, unless it is itself an expression. */
  private static String label(ActivityImpl activity) {
    Object name = activity.getProperty("name");
    return name instanceof String n && !n.contains("${") && !n.contains("#{") ? n : null;
  }

  /** "Class.method" of "package.Class.method". */
  private static String simpleName(String qualifiedMethod) {
    int method = qualifiedMethod.lastIndexOf('.');
    return qualifiedMethod.substring(qualifiedMethod.lastIndexOf('.', method - 1) + 1);
  }
}
