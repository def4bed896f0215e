package io.secretfetch.vault.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The {@link HttpClient} handed to the driver. It delegates everything, and adds {@code
 * Content-Type: application/json} to requests that carry a body but no content type.
 *
 * <p>Why: vault-java-driver 6.2.1 posts JSON bodies (AppRole login, {@code renew-self}) without
 * any {@code Content-Type} header. Vault itself parses such bodies as JSON, but proxies, API
 * gateways and Vault-compatible servers in front of it may insist on the header; sending it is
 * what the Vault CLI does.
 */
final class JsonContentTypeHttpClient extends HttpClient {
  private final HttpClient delegate;

  JsonContentTypeHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  static HttpRequest withJsonContentType(HttpRequest request) {
    boolean hasBody =
        request.bodyPublisher().map(p -> p.contentLength() != 0).orElse(false);
    if (!hasBody || request.headers().firstValue("Content-Type").isPresent()) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true)
        .header("Content-Type", "application/json")
        .build();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(withJsonContentType(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return delegate.sendAsync(withJsonContentType(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(withJsonContentType(request), handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
