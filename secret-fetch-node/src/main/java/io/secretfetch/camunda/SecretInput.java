package io.secretfetch.camunda;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares which inputs of a delegate class are secrets. At deployment, a task that uses the class
 * ({@code camunda:class}) must feed each of these inputs from a secret variable ({@code ${apiKey}}
 * where {@code apiKey} is the result of a Secret Fetch task) or a {@code {{secrets.NAME}}}
 * placeholder — never a literal — and a secret variable may not flow into any other input or
 * output. The delegate reads each input with {@link SecretInputs#get}.
 *
 * <p>A name may also be a {@code camunda:field} of the task: such a field must be a text with
 * {@code {{secrets.NAME}}} placeholders or an expression naming a secret variable, and evaluating
 * the injected {@code Expression} yields the resolved {@link io.secretfetch.api.SecretValue}
 * (placeholders rendered in memory, for the instance's tenant), never the field's text.
 *
 * <pre>
 * &#64;SecretInput({"apiKey", "authorization"})
 * public class CallApi implements JavaDelegate {
 *   private Expression authorization; // camunda:field stringValue="Bearer {{secrets.API_KEY}}"
 *
 *   public void execute(DelegateExecution execution) {
 *     SecretValue header = (SecretValue) authorization.getValue(execution);
 *     SecretValue apiKey = SecretInputs.get(execution, "apiKey");
 *     ...
 *   }
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SecretInput {
  /**
   * The names of the input parameters ({@code camunda:inputParameter name}) and fields ({@code
   * camunda:field name}) that are secrets.
   */
  String[] value();
}
