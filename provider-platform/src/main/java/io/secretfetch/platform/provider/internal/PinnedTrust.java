package io.secretfetch.platform.provider.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Server certificate trust for the remote provider. With a pin, the server's leaf certificate must
 * have exactly that SHA-256 fingerprint; the handshake fails before any request is sent otherwise.
 * With a trust store as well, the chain must also validate against it (PKIX).
 */
public final class PinnedTrust {
  private PinnedTrust() {}

  /** The handshake failed because the leaf certificate is not the pinned one. */
  public static final class PinMismatch extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;

    PinMismatch(String expected, String actual) {
      super("server certificate SHA-256 " + actual + " is not the pinned " + expected);
      this.expected = expected;
      this.actual = actual;
    }

    public String expected() {
      return expected;
    }

    public String actual() {
      return actual;
    }
  }

  /** Lower-case hex without separators; accepts {@code AB:CD:...} and spaces. */
  public static String normalize(String fingerprint) {
    String f = fingerprint.replace(":", "").replace(" ", "").trim().toLowerCase(Locale.ROOT);
    if (!f.matches("[0-9a-f]{64}")) {
      return null;
    }
    return f;
  }

  public static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the server certificate", e);
    }
  }

  /**
   * An SSL context trusting: the pin (if given) and the trust store (if given); with neither, the
   * JDK's default trust (a CA-signed server certificate).
   */
  public static SSLContext context(String pin, KeyStore trustStore) throws GeneralSecurityException {
    SSLContext ssl = SSLContext.getInstance("TLS");
    if (pin == null) {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore); // null: the JDK's cacerts
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    }
    X509ExtendedTrustManager chain = null;
    if (trustStore != null) {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          chain = x;
        }
      }
    }
    ssl.init(null, new TrustManager[] {new Pinning(pin, chain)}, null);
    return ssl;
  }

  /**
   * Checks the pin first (an exact leaf certificate is a stronger identity than a host name, so
   * without a trust store no host name check is made), then the chain when a trust store is given.
   */
  private static final class Pinning extends X509ExtendedTrustManager {
    private final String pin;
    private final X509ExtendedTrustManager chain;

    Pinning(String pin, X509ExtendedTrustManager chain) {
      this.pin = pin;
      this.chain = chain;
    }

    private void pin(X509Certificate[] certs) throws CertificateException {
      if (certs == null || certs.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      String actual = sha256(certs[0]);
      if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new PinMismatch(pin, actual);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      pin(certs);
      if (chain != null) {
        chain.checkServerTrusted(certs, authType, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      pin(certs);
      if (chain != null) {
        chain.checkServerTrusted(certs, authType, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      pin(certs);
      if (chain != null) {
        ((X509TrustManager) chain).checkServerTrusted(certs, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
