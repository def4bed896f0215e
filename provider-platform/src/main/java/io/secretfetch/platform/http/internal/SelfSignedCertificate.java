package io.secretfetch.platform.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded default's self-signed certificate, generated once and kept in the data dir. */
public final class SelfSignedCertificate {
  private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
  static final String KEY_STORE = "https.p12";
  static final String PASSWORD_FILE = "https.p12.password";
  private static final String ALIAS = "secret-fetch-platform";

  private SelfSignedCertificate() {}

  public record Material(KeyStore keyStore, char[] password) {}

  public static synchronized Material loadOrCreate(Path dir, List<String> extraHosts) {
    Path ks = dir.resolve(KEY_STORE);
    Path pw = dir.resolve(PASSWORD_FILE);
    try {
      if (Files.exists(ks) && Files.exists(pw)) {
        char[] password = Files.readString(pw, StandardCharsets.US_ASCII).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
          store.load(in, password);
        }
        return new Material(store, password);
      }
      Files.createDirectories(dir);
      byte[] raw = new byte[24];
      new SecureRandom().nextBytes(raw);
      char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw).toCharArray();
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair kp = kpg.generateKeyPair();
      X509Certificate cert = certificate(kp, extraHosts);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, kp.getPrivate(), password, new Certificate[] {cert});
      writeOwnerOnly(pw, new String(password).getBytes(StandardCharsets.US_ASCII));
      try (OutputStream out = openOwnerOnly(ks)) {
        store.store(out, password);
      }
      log.info("Generated a self-signed TLS certificate {} for the platform API, SHA-256"
          + " fingerprint {}", ks, fingerprint(cert));
      return new Material(store, password);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot load or create the self-signed TLS certificate in "
          + dir + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static X509Certificate certificate(KeyPair kp, List<String> extraHosts)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    X500Name dn = new X500Name("CN=secret-fetch-platform");
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, serial,
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(825))),
        dn, kp.getPublic());
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (host != null && !host.isBlank() && !host.equals("localhost")) {
        names.add(new GeneralName(GeneralName.dNSName, host));
      }
    } catch (IOException ignored) {
      // no host name: localhost only
    }
    for (String h : extraHosts) {
      names.add(new GeneralName(GeneralName.dNSName, h));
    }
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(names.toArray(GeneralName[]::new)));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }

  /** SHA-256 of the DER certificate, lowercase hex. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the certificate", e);
    }
  }

  private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    try (OutputStream out = openOwnerOnly(file)) {
      out.write(content);
    }
  }

  private static OutputStream openOwnerOnly(Path file) throws IOException {
    if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
      if (!Files.exists(file)) {
        Files.createFile(file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    }
    return Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }
}
