package io.secretfetch.platform.http.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The headers every response carries, whoever writes it: an API route, a host's route, an error
 * mapper, or Jetty itself ({@link SecureErrorHandler}). As a Jetty customizer it adds them to
 * every parsed request's response before any handler runs, so a path nobody listed has them too.
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {
  /** HSTS max-age: one year. */
  public static final long HSTS_MAX_AGE_SECONDS = 31_536_000L;

  /** Header name to value, in the order written. */
  public static final Map<String, String> ALL = headers();

  private static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Strict-Transport-Security", "max-age=" + HSTS_MAX_AGE_SECONDS + "; includeSubDomains");
    h.put("Cache-Control", "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    h.put("Referrer-Policy", "no-referrer");
    return java.util.Collections.unmodifiableMap(h);
  }

  @Override
  public void customize(Connector connector, HttpConfiguration config, Request request) {
    addTo(request.getResponse().getHttpFields());
  }

  /** Sets every header (replacing a value a handler set). */
  public static void addTo(HttpFields.Mutable fields) {
    ALL.forEach(fields::put);
  }

  /** Sets every header (replacing a value a handler set). */
  public static void addTo(HttpServletResponse response) {
    ALL.forEach(response::setHeader);
  }
}
