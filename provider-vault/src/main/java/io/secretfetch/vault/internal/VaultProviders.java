package io.secretfetch.vault.internal;

import io.github.jopenlibs.vault.VaultException;
import io.secretfetch.api.BootstrapSecrets;
import io.secretfetch.api.ProviderConfig;
import io.secretfetch.api.SecretContext;
import io.secretfetch.api.SecretException;
import io.secretfetch.api.SecretProvider;
import io.secretfetch.api.SecretValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import javax.net.ssl.SSLContext;

/** Builds {@link VaultKvProvider}s; the factory's implementation. */
public final class VaultProviders {
  private VaultProviders() {}

  public static SecretProvider create(ProviderConfig config, BootstrapSecrets bootstrap,
      Collaborators collaborators) {
    VaultOptions options = VaultOptions.parse(config, collaborators.environment());
    SSLContext ssl = sslContext(options, bootstrap);
    try {
      return new VaultKvProvider(options, collaborators, ssl, bootstrap);
    } catch (VaultException e) {
      throw SecretException.configuration(
          "vault provider '" + options.providerId() + "' could not be set up",
          "Check its settings");
    }
  }

  private static SSLContext sslContext(VaultOptions o, BootstrapSecrets bootstrap) {
    if (o.caPem() == null && o.clientCertPem() == null) {
      return null;
    }
    char[] key = null;
    try {
      if (o.clientKeyFile() != null) {
        key = readChars(o);
      } else if (o.clientKeyRef() != null) {
        // Resolved at start: the HTTP client's TLS context is built once.
        try (SecretValue v = bootstrap.resolve(o.clientKeyRef(), SecretContext.system())) {
          key = decode(v.revealBytes());
        }
      }
      return TlsContexts.build(o.caPem(), o.clientCertPem(), key);
    } catch (TlsContexts.TlsSetupException e) {
      throw SecretException.configuration(
          "vault provider '" + o.providerId() + "': " + e.getMessage(),
          "Check tls.ca-file (PEM certificates), tls.client-cert-file (PEM) and the client key"
              + " (unencrypted PKCS#8 PEM)");
    } finally {
      if (key != null) {
        Arrays.fill(key, '\0');
      }
    }
  }

  private static char[] readChars(VaultOptions o) {
    try {
      return decode(Files.readAllBytes(o.clientKeyFile()));
    } catch (IOException e) {
      throw SecretException.configuration(
          "vault provider '" + o.providerId() + "' cannot read tls.client-key-file "
              + o.clientKeyFile() + " (" + e.getClass().getSimpleName() + ")",
          "Point tls.client-key-file at a readable PKCS#8 PEM file");
    }
  }

  private static char[] decode(byte[] bytes) {
    try {
      CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
      char[] out = new char[cb.remaining()];
      cb.get(out);
      if (cb.hasArray()) {
        Arrays.fill(cb.array(), '\0');
      }
      return out;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
