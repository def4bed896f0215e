package io.secretfetch.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretfetch.platform.http.HttpsClient.Res;
import io.secretfetch.platform.store.PlatformSecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI 3.1 document describes exactly the routes the server registers: a route
 * missing from the document fails, and so does a documented route that does not exist.
 */
class OpenApiCoverageTest {
  static Path dir;
  static PlatformSecretStore store;
  static PlatformHttpServer server;
  static HttpsClient http;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sf-openapi");
    store = PlatformSecretStore.embedded(dir);
    server = PlatformHttpServer.builder(store).port(0).audience("https://secrets.test")
        .tls(ServerTls.selfSigned(dir)).build().start();
    http = new HttpsClient(server.tls().certificate(), server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static Set<String> documented(JsonNode doc) {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      path.getValue().fieldNames().forEachRemaining(m -> {
        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m)) {
          out.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      });
    }
    return out;
  }

  @Test
  void servedDocumentIsOpenApi31AndMatchesTheRoutesBothWays() throws Exception {
    Res r = http.get("/api/v1/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode doc = r.json();
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> served = new TreeSet<>(server.routes());
    Set<String> described = documented(doc);
    assertThat(served).as("routes missing from the OpenAPI document")
        .isSubsetOf(described);
    assertThat(described).as("documented routes the server does not have")
        .isSubsetOf(served);
  }

  @Test
  void everyDocumentedRouteIsReachable() throws Exception {
    // Registered is not enough: each documented route must answer as a route (problem+json with
    // an auth or input error, or 200) rather than the no-route 404.
    for (String route : documented(http.get("/api/v1/openapi.json", null).json())) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1)
          .replace("{name}", "a/b").replace("{version}", "1");
      Res res = http.send(method, path, null, method.equals("GET") || method.equals("DELETE")
          ? null : "{}");
      assertThat(res.status()).as(route).isIn(200, 401);
    }
    Res none = http.get("/api/v1/not-a-route", null);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.json().get("type").asText()).endsWith("/no-route");
  }

  @Test
  void committedDocumentIsTheServedOne() throws Exception {
    byte[] committed = Files.readAllBytes(Path.of("src/main/resources/openapi/platform-api.json"));
    assertThat(http.get("/api/v1/openapi.json", null).body().getBytes(
        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(committed);
  }
}
