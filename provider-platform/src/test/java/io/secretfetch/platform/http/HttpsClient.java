package io.secretfetch.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real HTTPS client trusting only the test server's certificate; records every body. */
final class HttpsClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;
  final List<String> bodies = new ArrayList<>();

  HttpsClient(X509Certificate serverCert, int port) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", serverCert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    this.client = HttpClient.newBuilder().sslContext(ssl).build();
    this.base = "https://localhost:" + port;
  }

  record Res(int status, String contentType, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  Res send(String method, String path, String auth, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (auth != null) {
      b.header("Authorization", "Bearer " + auth);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    synchronized (bodies) {
      bodies.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return new Res(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.headers().map(), r.body());
  }

  Res get(String path, String auth) throws Exception {
    return send("GET", path, auth, null);
  }
}
