package io.secretfetch.platform.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.secretfetch.api.SecretContext;
import io.secretfetch.platform.auth.Principal;
import java.io.IOException;
import java.io.InputStream;

/** One authenticated request: the Javalin context, the caller and the store context. */
public final class Call {
  private final Context ctx;
  private final Principal principal;
  private final SecretContext context;
  private final ObjectMapper json;
  private final int maxBody;

  Call(Context ctx, Principal principal, SecretContext context, ObjectMapper json, int maxBody) {
    this.ctx = ctx;
    this.principal = principal;
    this.context = context;
    this.json = json;
    this.maxBody = maxBody;
  }

  public Context ctx() {
    return ctx;
  }

  public Principal principal() {
    return principal;
  }

  public SecretContext context() {
    return context;
  }

  /** The path parameter {@code name} (a secret name; may contain '/'). */
  public String name() {
    return ctx.pathParam("name");
  }

  /** The JSON object body; 400 if it is not one, 413 if too large. */
  public ObjectNode body() {
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes(maxBody + 1);
    } catch (IOException e) {
      throw ApiProblem.invalid("body", "the request body could not be read");
    }
    if (bytes.length > maxBody) {
      throw ApiProblem.tooLarge(maxBody);
    }
    JsonNode n;
    try {
      n = bytes.length == 0 ? null : json.readTree(bytes);
    } catch (IOException e) {
      if (e instanceof JsonProcessingException jpe) {
        DuplicateKey.of(jpe).ifPresent(d -> {
          throw ApiProblem.invalid(d.field(), "the key '" + d.key() + "' appears twice in the"
              + " same object (at " + d.pointer() + "); give each key once").with("key", d.key());
        });
      }
      // Never echo the body: it may hold a value.
      throw ApiProblem.invalid("body", "the request body is not valid JSON");
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    if (!(n instanceof ObjectNode o)) {
      throw ApiProblem.invalid("body", "the request body must be a JSON object");
    }
    return o;
  }

  public Integer intQuery(String param, int min, int max) {
    String raw = ctx.queryParam(param);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw ApiProblem.invalid(param, param + " must be a whole number from " + min + " to " + max);
  }
}
