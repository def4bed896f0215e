package io.secretfetch.app.quickstart;

import io.secretfetch.api.SecretValue;
import io.secretfetch.camunda.SecretInput;
import io.secretfetch.camunda.SecretInputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart's consumer ({@code examples/quickstart/quickstart.bpmn}, task {@code callApi}):
 * sends {@code GET url} with {@code Authorization: Bearer <apiKey>} and stores the status code in
 * variable {@code apiStatus}. {@code apiKey} is a declared secret input, read with {@link
 * SecretInputs#get}; {@code url} is an ordinary input.
 *
 * <p>It logs the request headers the way HTTP client logging often does, so the quickstart test can
 * show that the masking layout turns the key into {@code ***}.
 */
@SecretInput("apiKey")
public class BearerCallDelegate implements JavaDelegate {
  private static final Logger log = LoggerFactory.getLogger(BearerCallDelegate.class);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    String url = (String) execution.getVariable("url");
    SecretValue apiKey = SecretInputs.get(execution, "apiKey");
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + apiKey.reveal())
        .GET()
        .build();
    log.info("GET {} with headers {}", url, request.headers().map());
    HttpResponse<Void> response = CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
    log.info("GET {} answered {}", url, response.statusCode());
    execution.setVariable("apiStatus", response.statusCode());
  }
}
