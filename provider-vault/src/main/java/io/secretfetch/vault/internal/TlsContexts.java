package io.secretfetch.vault.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context for Vault from PEM text: a CA bundle and a client certificate + key. */
final class TlsContexts {
  private static final Pattern PKCS8 =
      Pattern.compile(
          "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  /** Thrown with a message that names what is wrong, never key material. */
  static final class TlsSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsSetupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param caPem PEM certificates to trust, or null for the JVM's trust store
   * @param clientCertPem the client certificate chain (leaf first), or null for no client auth
   * @param clientKeyPem the client's PKCS#8 private key in PEM, with {@code clientCertPem}
   */
  static SSLContext build(String caPem, String clientCertPem, char[] clientKeyPem)
      throws TlsSetupException {
    try {
      TrustManagerFactory tmf = null;
      if (caPem != null) {
        Collection<? extends Certificate> cas = certificates(caPem, "CA bundle");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate ca : cas) {
          trust.setCertificateEntry("ca-" + i++, ca);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (clientCertPem != null) {
        List<Certificate> chain = new ArrayList<>(certificates(clientCertPem, "client certificate"));
        PrivateKey key = privateKey(clientKeyPem);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, NO_PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsSetupException(
          "the TLS settings could not be loaded (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static Collection<? extends Certificate> certificates(String pem, String what)
      throws GeneralSecurityException, TlsSetupException {
    Collection<? extends Certificate> certs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    if (certs.isEmpty()) {
      throw new TlsSetupException("the " + what + " contains no PEM certificate", null);
    }
    return certs;
  }

  private static PrivateKey privateKey(char[] pem) throws TlsSetupException {
    Matcher m = PKCS8.matcher(java.nio.CharBuffer.wrap(pem));
    if (!m.find()) {
      throw new TlsSetupException(
          "the client key is not a PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----'); convert it"
              + " with: openssl pkcs8 -topk8 -nocrypt -in key.pem",
          null);
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    try {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "EdDSA"}) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException wrongAlgorithm) {
          // try the next one
        }
      }
      throw new TlsSetupException("the client key is not an EC, RSA or EdDSA key", null);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}
