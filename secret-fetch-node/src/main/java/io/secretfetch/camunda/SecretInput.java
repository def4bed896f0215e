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
 * <pre>
 * &#64;SecretInput({"apiKey", "authorization"})
 * public class CallApi implements JavaDelegate { ... }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SecretInput {
  /** The names of the input parameters ({@code camunda:inputParameter name}) that are secrets. */
  String[] value();
}
