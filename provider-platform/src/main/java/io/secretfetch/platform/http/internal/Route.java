package io.secretfetch.platform.http.internal;

import io.javalin.http.HandlerType;
import io.secretfetch.platform.auth.Scope;

/**
 * One route of the API: the single table the server registers from and the OpenAPI coverage test
 * compares against.
 *
 * @param method the HTTP method
 * @param path the Javalin path ({@code <name>} may contain '/')
 * @param access who may call it
 * @param scope the scope needed, for {@link Access#API_KEY_OR_TOKEN} and {@link Access#API_KEY}
 */
public record Route(HandlerType method, String path, Access access, Scope scope, Action action) {

  public enum Access {
    /** No credential (health, the OpenAPI document). */
    PUBLIC,
    /** An API key holding the scope. */
    API_KEY,
    /** An API key holding the scope, or a service token (which holds {@code secrets:read}). */
    API_KEY_OR_TOKEN,
    /** A service token only: never an API key, never a browser. */
    SERVICE_TOKEN
  }

  @FunctionalInterface
  public interface Action {
    void handle(Call call) throws Exception;
  }

  /** The path as OpenAPI writes it: {@code {name}}. */
  public String openApiPath() {
    return path.replace('<', '{').replace('>', '}');
  }
}
