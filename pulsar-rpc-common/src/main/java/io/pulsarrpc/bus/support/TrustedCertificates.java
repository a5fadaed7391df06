package io.pulsarrpc.bus.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client TLS context that trusts the certificates of a PEM file, for bus clients that take an
 * {@link SSLContext} rather than a file (jnats), and for checking a TLS handshake as a client
 * configured with that file would. Stateless; thread-safe.
 */
public final class TrustedCertificates {

  private TrustedCertificates() {}

  /**
   * An {@link SSLContext} trusting every certificate in {@code pemFile} and nothing else; the
   * messages of its failures name the file as {@code tlsTrustCertsFile}, the setting of our bus
   * builders.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static SSLContext sslContext(Path pemFile) {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(
            "tlsTrustCertsFile " + pemFile + " holds no PEM certificate");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("trusted-" + index++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tlsTrustCertsFile " + pemFile + " is not a readable PEM certificate file: " + e, e);
    }
  }
}
