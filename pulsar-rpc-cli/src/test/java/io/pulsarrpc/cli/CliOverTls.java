package io.pulsarrpc.cli;

import static io.pulsarrpc.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.server.PulsarRpcServer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The command line over a bus with TLS, written once for every bus: a call trusting the server's
 * certificate authority with {@code --tls-trust-certs} makes a round trip, and one without it fails
 * with exit code 4 and one line that says the certificate is not trusted. A subclass starts one TLS
 * server for its class.
 */
abstract class CliOverTls {

  /** The {@code --bus} value. */
  abstract String busName();

  /** The server's TLS URL. */
  abstract String tlsUrl();

  /** The PEM file of the authority that signed the server's certificate. */
  abstract Path trustCertsFile();

  /** A bus for the test's server, which the caller closes. */
  abstract MessageBus openServerBus() throws Exception;

  @Test
  void callTrustingTheServersAuthorityIsAnswered() throws Exception {
    String topic = "cli-tls-" + UUID.randomUUID().toString().substring(0, 8);
    try (MessageBus bus = openServerBus();
        PulsarRpcServer<String, String> server = TestServers.upperCase(bus, topic, "secure")) {

      CliRun call =
          run(
              "call",
              "--bus=" + busName(),
              "--service-url=" + tlsUrl(),
              "--tls-trust-certs=" + trustCertsFile(),
              "--connect-timeout=30s",
              "--timeout=30s",
              topic,
              "hello");

      assertThat(call.exitCode()).as(call.toString()).isZero();
      assertThat(call.out()).isEqualTo("secure: HELLO\n");
    }
  }

  @Test
  void callWithoutTheTrustFileFailsWithFourSayingTheCertificateIsNotTrusted() {
    // Pulsar's client retries the handshake until the connect timeout, hence a short one.
    CliRun call =
        run(
            "call",
            "--bus=" + busName(),
            "--service-url=" + tlsUrl(),
            "--connect-timeout=5s",
            "--timeout=5s",
            "cli-tls-untrusted",
            "hello");

    assertThat(call.exitCode()).as(call.toString()).isEqualTo(PulsarRpcCli.EXIT_CONNECTION);
    assertThat(call.errLines()).hasSize(1);
    assertThat(call.err())
        .startsWith("pulsar-rpc: cannot use the " + busName() + " bus at " + tlsUrl() + ": ")
        .contains("the server's certificate is not trusted")
        .contains("--tls-trust-certs")
        .doesNotContain("\tat ");
  }
}
