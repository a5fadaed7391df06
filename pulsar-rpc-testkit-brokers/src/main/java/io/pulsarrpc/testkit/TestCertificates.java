package io.pulsarrpc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority and a server certificate signed by it, made at test time for TLS test
 * servers: nothing is checked in, and no two runs share a key. The server certificate names {@code
 * localhost} and {@code 127.0.0.1} (subject alternative names), so clients that verify host names
 * accept it on loopback.
 *
 * <p>{@link #generate(Path)} writes three PEM files into a directory: {@link #caFile()} (the file a
 * client trusts: Pulsar's {@code tlsTrustCertsFilePath}, Lettuce's {@code SslOptions}, a jnats
 * {@code SSLContext} from {@link #trustingSslContext()}), {@link #certificateFile()} and {@link
 * #keyFile()} (an unencrypted PKCS#8 key) for the server. Keys are RSA 2048; certificates are valid
 * from an hour ago for a year. Instances are immutable and thread-safe.
 */
public final class TestCertificates {

  private static final String SIGNATURE = "SHA256withRSA";
  private static final Duration VALIDITY = Duration.ofDays(365);

  private final Path caFile;
  private final Path certificateFile;
  private final Path keyFile;
  private final X509Certificate ca;

  private TestCertificates(
      Path caFile, Path certificateFile, Path keyFile, X509Certificate authority) {
    this.caFile = caFile;
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.ca = authority;
  }

  /**
   * Makes a new authority and server certificate and writes {@code ca.pem}, {@code server.pem} and
   * {@code server-key.pem} into {@code directory}, creating it if needed and replacing those files.
   * Takes about a second on a busy two-core machine (two RSA keys).
   *
   * @throws UncheckedIOException when the files cannot be written
   */
  public static TestCertificates generate(Path directory) {
    try {
      Files.createDirectories(directory);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      X500Name caName = new X500Name("CN=pulsar-rpc test CA");
      X509Certificate authority = authority(caName, caKeys);
      X509Certificate server = server(caName, authority, caKeys.getPrivate(), serverKeys);
      TestCertificates certificates =
          new TestCertificates(
              directory.resolve("ca.pem"),
              directory.resolve("server.pem"),
              directory.resolve("server-key.pem"),
              authority);
      write(certificates.caFile, "CERTIFICATE", authority.getEncoded());
      write(certificates.certificateFile, "CERTIFICATE", server.getEncoded());
      write(certificates.keyFile, "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
      return certificates;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write test certificates to " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("Could not make test certificates", e);
    }
  }

  /** The authority's certificate (PEM): what a client trusts to accept the server. */
  public Path caFile() {
    return caFile;
  }

  /** The server's certificate (PEM), for {@code localhost} and {@code 127.0.0.1}. */
  public Path certificateFile() {
    return certificateFile;
  }

  /** The server's private key (PEM, unencrypted PKCS#8). */
  public Path keyFile() {
    return keyFile;
  }

  /**
   * A client {@link SSLContext} that trusts only this authority, for clients configured with an
   * {@code SSLContext} rather than a PEM file (jnats's {@code Options.Builder.sslContext}).
   */
  public SSLContext trustingSslContext() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("pulsar-rpc-test-ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not make an SSLContext trusting " + caFile, e);
    }
  }

  @Override
  public String toString() {
    return "test certificates in " + caFile.getParent();
  }

  /** A TLS connection to a loopback port that trusts this authority, handshake done. */
  SSLSocket connect(int port, Duration timeout) throws IOException {
    SSLSocket socket = (SSLSocket) trustingSslContext().getSocketFactory().createSocket();
    try {
      int millis = Math.toIntExact(timeout.toMillis());
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
      socket.setSoTimeout(millis);
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static X509Certificate authority(X500Name name, KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X509v3CertificateBuilder builder = validFromNow(name, name, keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    return sign(builder, keys.getPrivate());
  }

  private static X509Certificate server(
      X500Name issuer, X509Certificate authority, PrivateKey issuerKey, KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X509v3CertificateBuilder builder = validFromNow(issuer, new X500Name("CN=localhost"), keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(authority));
    return sign(builder, issuerKey);
  }

  private static X509v3CertificateBuilder validFromNow(
      X500Name issuer, X500Name subject, KeyPair keys) {
    // An hour back, so that a clock a little behind (the server's, the client's) accepts it.
    Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, new SecureRandom()),
        Date.from(notBefore),
        Date.from(notBefore.plus(VALIDITY)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
  }

  private static void write(Path file, String type, byte[] der) throws IOException {
    String pem =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
