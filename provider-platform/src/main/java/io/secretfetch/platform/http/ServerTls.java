package io.secretfetch.platform.http;

import io.secretfetch.platform.http.internal.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Objects;

/**
 * The server's TLS identity: a key store in production, or a self-signed certificate the embedded
 * default generates on first start (and reuses afterwards). There is no plaintext listener.
 */
public final class ServerTls {
  private final KeyStore keyStore;
  private final char[] password;
  private final X509Certificate certificate;

  private ServerTls(KeyStore keyStore, char[] password) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = leaf(keyStore);
  }

  /** A PKCS#12 or JKS key store holding one private key entry with its certificate chain. */
  public static ServerTls keyStore(Path file, char[] password) {
    Objects.requireNonNull(password, "password");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
      ks.load(in, password);
      return new ServerTls(ks, password.clone());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the TLS key store " + file + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** A key store already loaded. */
  public static ServerTls keyStore(KeyStore keyStore, char[] password) {
    return new ServerTls(keyStore, password.clone());
  }

  /**
   * The embedded default: {@code https.p12} in {@code dataDirectory}, generated on first use
   * (EC P-256, self-signed, for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and
   * {@code extraHostNames}) with its random password in {@code https.p12.password}, both readable
   * by the owner only. Clients pin its SHA-256 fingerprint, which the server logs at start.
   */
  public static ServerTls selfSigned(Path dataDirectory, String... extraHostNames) {
    SelfSignedCertificate.Material m = SelfSignedCertificate.loadOrCreate(dataDirectory,
        Arrays.asList(extraHostNames));
    return new ServerTls(m.keyStore(), m.password());
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  /** The key store password; a copy. */
  public char[] password() {
    return password.clone();
  }

  /** The server certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's SHA-256 fingerprint, lowercase hex without separators. */
  public String fingerprintSha256() {
    return SelfSignedCertificate.fingerprint(certificate);
  }

  private static X509Certificate leaf(KeyStore ks) {
    try {
      Enumeration<String> aliases = ks.aliases();
      while (aliases.hasMoreElements()) {
        String a = aliases.nextElement();
        if (ks.isKeyEntry(a) && ks.getCertificate(a) instanceof X509Certificate c) {
          return c;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the TLS key store", e);
    }
    throw new IllegalArgumentException("the TLS key store has no private key entry");
  }

  @Override
  public String toString() {
    return "ServerTls[" + certificate.getSubjectX500Principal() + ", sha256="
        + fingerprintSha256() + "]";
  }
}
