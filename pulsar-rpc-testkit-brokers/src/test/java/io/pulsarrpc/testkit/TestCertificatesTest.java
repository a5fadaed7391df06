package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

  @TempDir Path directory;

  @Test
  void theServerCertificateIsSignedByTheAuthorityForLocalhostAndTheLoopbackAddress()
      throws Exception {
    TestCertificates certificates = TestCertificates.generate(directory);

    X509Certificate authority = read(certificates.caFile());
    X509Certificate server = read(certificates.certificateFile());

    server.verify(authority.getPublicKey());
    server.checkValidity();
    assertThat(server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1");
    assertThat(authority.getBasicConstraints()).isNotNegative();
  }

  @Test
  void theKeyIsAnUnencryptedPkcs8PemFile() throws Exception {
    TestCertificates certificates = TestCertificates.generate(directory);

    List<String> lines = Files.readAllLines(certificates.keyFile());

    assertThat(lines).first().isEqualTo("-----BEGIN PRIVATE KEY-----");
    assertThat(lines).last().isEqualTo("-----END PRIVATE KEY-----");
    assertThat(lines.stream().collect(Collectors.joining())).doesNotContain("ENCRYPTED");
  }

  private static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
