package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void everyFutureWrapperIsRemoved() {
    IllegalStateException cause = new IllegalStateException("cause");

    Throwable wrapped = new CompletionException(new ExecutionException(cause));

    assertThat(Failures.unwrapped(wrapped)).isSameAs(cause);
  }

  @Test
  void aWrapperWithoutCauseAndNullStayAsTheyAre() {
    CompletionException bare = new CompletionException("no cause", null);

    assertThat(Failures.unwrapped(bare)).isSameAs(bare);
    assertThat(Failures.unwrapped(null)).isNull();
  }

  @Test
  void anUntrustedCertificateBehindAConnectionFailureIsNamedWithTheSettingThatFixesIt() {
    Throwable failure =
        new CompletionException(
            new IllegalStateException(
                "Unable to connect to 127.0.0.1:6379",
                new SSLHandshakeException("PKIX path building failed")
                    .initCause(
                        new CertificateException("unable to find valid certification path"))));

    String described = Failures.describe(failure);

    assertThat(described)
        .startsWith("Unable to connect to 127.0.0.1:6379 (TLS handshake failed, ")
        .contains("does not trust the server's certificate: PKIX path building failed")
        .contains("tlsTrustCertsFilePath");
  }

  @Test
  void anotherTlsFailureIsNamedWithoutTheTrustAdvice() {
    Throwable failure =
        new IllegalStateException(
            "Unable to connect",
            new SSLHandshakeException("Received fatal alert: protocol_version"));

    assertThat(Failures.describe(failure))
        .isEqualTo(
            "Unable to connect (TLS handshake failed: Received fatal alert: protocol_version)");
  }

  @Test
  void aFailureWithoutTlsKeepsItsMessage() {
    Throwable failure = new CompletionException(new IllegalStateException("topic not found"));

    assertThat(Failures.describe(failure)).isEqualTo("topic not found");
  }

  @Test
  void anUntrustedCertificateKeptAsASuppressedFailureIsFound() {
    Throwable reason =
        new SSLHandshakeException("PKIX path building failed")
            .initCause(new CertificateException("unable to find valid certification path"));
    IllegalStateException failure = new IllegalStateException("cannot connect");
    failure.addSuppressed(reason);

    assertThat(Failures.certificateNotTrusted(new CompletionException(failure))).isTrue();
  }

  @Test
  void anotherFailureIsNotAnUntrustedCertificate() {
    assertThat(
            Failures.certificateNotTrusted(
                new IllegalStateException(
                    "Unable to connect",
                    new SSLHandshakeException("Received fatal alert: protocol_version"))))
        .isFalse();
    assertThat(Failures.certificateNotTrusted(new IllegalStateException("refused"))).isFalse();
    assertThat(Failures.certificateNotTrusted(null)).isFalse();
  }
}
