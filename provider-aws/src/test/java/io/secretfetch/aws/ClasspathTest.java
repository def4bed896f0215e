package io.secretfetch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's class path (runtime plus test) holds no Netty, CRT or Apache HTTP client; the
 * enforcer's bannedDependencies rule in the POM guards the same at build time.
 */
class ClasspathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.netty.channel.Channel",
        "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient",
        "software.amazon.awssdk.http.crt.AwsCrtHttpClient",
        "software.amazon.awssdk.crt.CRT",
        "software.amazon.awssdk.http.apache.ApacheHttpClient",
        "software.amazon.awssdk.http.apache5.Apache5HttpClient",
        "org.apache.http.client.HttpClient",
      })
  void heavyHttpStacksAreAbsent(String className) {
    assertThatThrownBy(() -> Class.forName(className, false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"})
  void theUrlConnectionClientIsPresent(String className) throws ClassNotFoundException {
    assertThat(Class.forName(className, false, getClass().getClassLoader())).isNotNull();
  }
}
