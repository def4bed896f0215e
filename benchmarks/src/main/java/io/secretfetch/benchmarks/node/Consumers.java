package io.secretfetch.benchmarks.node;

import io.secretfetch.camunda.SecretInputs;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/** The delegates of the benchmarked flows: the same header work on a secret and on a constant. */
public final class Consumers {
  /** What the consumers built, so the JIT cannot drop the work. */
  public static volatile long sink;

  private Consumers() {}

  /** Reads {@code apiKey} as a secret and builds the bearer header from it. */
  public static final class UseSecret implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      sink += ("Bearer " + SecretInputs.get(execution, "apiKey").reveal()).length();
    }
  }

  /** Sets {@code apiKey} to a constant string: the baseline's stand-in for the Secret Fetch task. */
  public static final class SetConstant implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("apiKey", ProcessThroughputBenchmark.CONSTANT);
    }
  }

  /** Reads {@code apiKey} as a plain string and builds the bearer header from it. */
  public static final class UseConstant implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      sink += ("Bearer " + execution.getVariable("apiKey")).length();
    }
  }
}
