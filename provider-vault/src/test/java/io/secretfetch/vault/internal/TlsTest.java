package io.secretfetch.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretError;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretRef;
import io.secretfetch.api.SecretValue;
import io.secretfetch.vault.fake.FakeVault;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vault over HTTPS: a private CA from a PEM bundle, and client certificates (mutual TLS). */
class TlsTest {
  private static final SecretRef APP = SecretRef.parse("vault:secret/app");
  private static KeyPair caKeys;
  private static X509Certificate ca;
  private static KeyPair serverKeys;
  private static X509Certificate server;
  private static KeyPair clientKeys;
  private static X509Certificate client;
  private static X509Certificate otherCa;

  @TempDir Path dir;
  private VaultFixture f;

  @BeforeAll
  static void mintCertificates() throws Exception {
    caKeys = ec();
    ca = sign("CN=Test Vault CA", caKeys, "CN=Test Vault CA", caKeys, true, false);
    serverKeys = ec();
    server = sign("CN=127.0.0.1", serverKeys, "CN=Test Vault CA", caKeys, false, true);
    clientKeys = ec();
    client = sign("CN=secret-fetch", clientKeys, "CN=Test Vault CA", caKeys, false, false);
    KeyPair other = ec();
    otherCa = sign("CN=Other CA", other, "CN=Other CA", other, true, false);
  }

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private void start(boolean needClientAuth) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", serverKeys.getPrivate(), new char[0],
        new X509Certificate[] {server, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    var clock = new io.secretfetch.kit.MutableClock();
    f = new VaultFixture(FakeVault.startTls(clock, ctx, needClientAuth));
    f.vault.mount("secret", 2);
    f.vault.put("secret/app", Map.of("k", "tls"));
  }

  private Map<String, String> settings() throws Exception {
    Map<String, String> s = f.tokenSettings(
        f.vault.issueToken(Duration.ZERO, Duration.ZERO, false));
    s.put("mounts", "secret=2");
    s.put("tls.ca-file", write("ca.pem", pem(ca)).toString());
    return s;
  }

  @Test
  void aPrivateCaFromAPemBundleIsTrusted() throws Exception {
    start(false);
    Map<String, String> s = settings();
    s.put("tls.ca-file", write("bundle.pem", pem(otherCa) + pem(ca)).toString());
    try (SecretValue v = f.provider(s).fetch(APP, SecretContext.system())) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("tls");
    }
  }

  @Test
  void anUntrustedServerIsUnavailableWithATlsRemedy() throws Exception {
    start(false);
    Map<String, String> s = settings();
    s.put("tls.ca-file", write("other.pem", pem(otherCa)).toString());
    s.put("retry.max-attempts", "1");
    assertThatThrownBy(() -> f.provider(s).fetch(APP, SecretContext.system()))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE);
          assertThat(e.remedy()).contains("tls.ca-file");
        });
  }

  @Test
  void clientCertificatesFromFilesAndFromThePlatformStore() throws Exception {
    start(true);
    Map<String, String> s = settings();
    s.put("tls.client-cert-file", write("client.pem", pem(client)).toString());
    s.put("tls.client-key-file", write("client-key.pem", pkcs8(clientKeys.getPrivate()))
        .toString());
    try (SecretValue v = f.provider(s).fetch(APP, SecretContext.system())) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("tls");
    }
    s.remove("tls.client-key-file");
    f.platform.put("vault/client-key", pkcs8(clientKeys.getPrivate()));
    s.put("tls.client-key-ref", "platform:vault/client-key");
    try (SecretValue v = f.provider(s).fetch(APP, SecretContext.system())) {
      assertThat(v.revealJson().path("k").asText()).isEqualTo("tls");
    }
  }

  @Test
  void withoutAClientCertificateMutualTlsFails() throws Exception {
    start(true);
    Map<String, String> s = settings();
    s.put("retry.max-attempts", "1");
    assertThatThrownBy(() -> f.provider(s).fetch(APP, SecretContext.system()))
        .isInstanceOfSatisfying(SecretException.class,
            e -> assertThat(e.error()).isEqualTo(SecretError.PROVIDER_UNAVAILABLE));
  }

  @Test
  void aKeyThatIsNotPkcs8IsAConfigurationError() throws Exception {
    start(false);
    Map<String, String> s = settings();
    s.put("tls.client-cert-file", write("client.pem", pem(client)).toString());
    s.put("tls.client-key-file", write("bad.pem", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
        + "-----END EC PRIVATE KEY-----\n").toString());
    assertThatThrownBy(() -> f.provider(s))
        .isInstanceOfSatisfying(SecretException.class, e -> {
          assertThat(e.error()).isEqualTo(SecretError.CONFIGURATION);
          assertThat(e.detail()).contains("PKCS#8");
        });
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer,
      KeyPair issuerKeys, boolean isCa, boolean loopbackSan) throws Exception {
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (loopbackSan) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress,
              InetAddress.getLoopbackAddress().getHostAddress()),
          new GeneralName(GeneralName.dNSName, "localhost")}));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static String pkcs8(PrivateKey k) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(k.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
