package io.secretfetch.platform.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers, which no application code writes: a malformed request line or
 * header, an oversized header (Jetty's {@code badMessageError}, before any customizer runs), a
 * bad or ambiguous URI, a request no handler takes. Each is a {@code problem+json} with the
 * {@link SecurityHeaders}; the body holds the status and its standard phrase only, never
 * Jetty's reason (it can quote the request), a stack or a servlet name.
 */
public final class SecureErrorHandler extends ErrorHandler {

  public SecureErrorHandler() {
    setShowStacks(false);
    setShowServlet(false);
    setShowMessageInTitle(false);
    setCacheControl("no-store");
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeaders.addTo(fields);
    fields.put(HttpHeader.CONTENT_TYPE, Calls.PROBLEM_JSON);
    return ByteBuffer.wrap(body(status));
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    if (response.isCommitted()) {
      return;
    }
    SecurityHeaders.addTo(response);
    byte[] body = body(response.getStatus());
    response.setContentType(Calls.PROBLEM_JSON);
    response.setContentLength(body.length);
    if (!HttpMethod.HEAD.is(request.getMethod())) {
      response.getOutputStream().write(body);
    }
  }

  static byte[] body(int status) {
    // HttpStatus phrases are fixed ASCII words: nothing to escape.
    return ("{\"type\":\"" + ApiProblem.TYPE_BASE + "http-error\",\"title\":\""
        + HttpStatus.getMessage(status) + "\",\"status\":" + status + ",\"error\":\"http-error\"}")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
