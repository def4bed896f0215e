package io.secretfetch.platform.http;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Raw HTTP/1.1 over a real TLS socket, for requests no HTTP client sends: malformed request
 * lines and headers, any method name. Reads until the server closes (bounded by a read timeout).
 */
public final class RawHttps {
  private final SSLContext ssl;
  private final int port;

  public RawHttps(X509Certificate serverCert, int port) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", serverCert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    this.ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    this.port = port;
  }

  /** The response: status, headers (lower-case names; a repeated one's values joined by ", "), body. */
  public record Response(int status, Map<String, String> headers, String body, String raw) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A well-formed request with this method, no body, {@code Connection: close}. */
  public Response request(String method, String path, String... headers) throws Exception {
    StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: localhost\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      b.append("Content-Length: 0\r\n");
    }
    return send(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1),
        method.equals("HEAD"));
  }

  /** Exactly these bytes; the answer as the server sent it. */
  public Response send(byte[] request, boolean head) throws Exception {
    try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return parse(read(s.getInputStream(), head));
    }
  }

  /** The head, then Content-Length bytes of body (none for HEAD), else up to the close. */
  private static String read(InputStream in, boolean head) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int headEnd = -1;
    long want = -1;
    try {
      for (int c; (c = in.read()) >= 0; ) {
        out.write(c);
        String sofar = out.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && sofar.endsWith("\r\n\r\n")) {
          headEnd = out.size();
          java.util.regex.Matcher m = java.util.regex.Pattern
              .compile("(?im)^content-length:\\s*(\\d+)").matcher(sofar);
          want = head ? 0 : m.find() ? Long.parseLong(m.group(1)) : -1;
        }
        if (headEnd >= 0 && want >= 0 && out.size() - headEnd >= want) {
          break;
        }
      }
    } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
      // the server closed the connection after its answer (or without one)
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static Response parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
      throw new AssertionError("not an HTTP response: [" + raw + "]");
    }
    String[] lines = raw.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(), (x, y) -> x + ", " + y);
    }
    return new Response(status, headers, raw.substring(end + 4), raw);
  }
}
