package io.secretfetch.platform.http.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.InternalRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Each path answers its documented methods only, whoever registered the route (the API or a
 * host's routes). Runs before every request (a Javalin before-handler):
 *
 * <ul>
 *   <li>a method-override header or {@code _method} query parameter is refused with 400: Javalin
 *       routes {@code X-HTTP-Method-Override} as the method ({@code Context.method()}), so a
 *       {@code GET} with {@code X-HTTP-Method-Override: DELETE} would delete past any proxy or
 *       log that filters by method;
 *   <li>a method no route of the path serves gets 405 with {@code Allow} listing those that do.
 *       That includes {@code HEAD}, which Javalin would answer 200 for any GET route without
 *       running it, {@code OPTIONS} (there is no CORS) and {@code TRACE} (never echoed).
 * </ul>
 */
public final class MethodGuard implements Handler {
  /** Headers frameworks and proxies take as the real method; none is honoured here. */
  public static final List<String> OVERRIDE_HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
  /** The form/query parameter some frameworks take as the real method. */
  public static final String OVERRIDE_PARAMETER = "_method";

  private final Supplier<InternalRouter> router;

  public MethodGuard(Supplier<InternalRouter> router) {
    this.router = router;
  }

  @Override
  public void handle(Context ctx) {
    for (String h : OVERRIDE_HEADERS) {
      if (ctx.req().getHeader(h) != null) {
        throw overrideRefused(h, "header");
      }
    }
    if (hasOverrideParameter(ctx.req().getQueryString())) {
      throw overrideRefused(OVERRIDE_PARAMETER, "query parameter");
    }
    List<HandlerType> allowed = allowed(ctx);
    if (allowed.isEmpty()) {
      return;   // no route has this path: 404 follows
    }
    if (!allowed.contains(HandlerType.Companion.findByName(ctx.req().getMethod()))) {
      String allow = allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
      ctx.header("Allow", allow);
      throw new ApiProblem(405, "method-not-allowed", "Method not allowed",
          "this path answers " + allow + " only").with("allowed", allow);
    }
  }

  /** The methods the routes registered for the request's path serve, in HandlerType order. */
  private List<HandlerType> allowed(Context ctx) {
    String path = ctx.path().substring(ctx.contextPath().length());
    InternalRouter r = router.get();
    List<HandlerType> out = new ArrayList<>();
    for (HandlerType t : HandlerType.values()) {
      if (t.isHttpMethod() && r.hasHttpHandlerEntry(t, path)) {
        out.add(t);
      }
    }
    return out;
  }

  /** Reads parameter names only, leniently: a query Javalin cannot decode is the route's business. */
  static boolean hasOverrideParameter(String query) {
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      String name = pair.split("=", 2)[0];
      try {
        name = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException undecodable) {
        // compare the raw name
      }
      if (name.equals(OVERRIDE_PARAMETER)) {
        return true;
      }
    }
    return false;
  }

  private static ApiProblem overrideRefused(String name, String kind) {
    return new ApiProblem(400, "method-override-refused", "Method override refused",
        "the " + kind + " " + name + " is refused: this server never takes the method from a "
            + kind + "; send the request with the method itself").with("field", name);
  }
}
