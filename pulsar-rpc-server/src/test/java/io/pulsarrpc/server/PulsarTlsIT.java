package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.pulsar.PulsarMessageBus;
import io.pulsarrpc.testkit.EmbeddedPulsarBroker;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS passes through: the SDK uses the PulsarClient it is given, pulsar+ssl:// and trust. */
class PulsarTlsIT {

  private static EmbeddedPulsarBroker broker;

  @BeforeAll
  static void startBrokerWithTls() {
    broker = EmbeddedPulsarBroker.builder().tls().build();
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aCallMakesARoundTripOverTls() throws Exception {
    try (PulsarClient pulsar =
            PulsarClient.builder()
                .serviceUrl(broker.tlsServiceUrl())
                .tlsTrustCertsFilePath(broker.tlsTrustCertsFile().toString())
                .operationTimeout(15, TimeUnit.SECONDS)
                .build();
        PulsarMessageBus bus = PulsarMessageBus.create(pulsar)) {

      assertThat(broker.tlsServiceUrl()).startsWith("pulsar+ssl://");
      CallsOverTls.assertACallMakesARoundTrip(bus);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheBrokersCertificateFailsAtBuildSayingSo() throws Exception {
    // Pulsar retries a failed handshake until the operation timeout, then the SDK says why.
    try (PulsarClient untrusting =
            PulsarClient.builder()
                .serviceUrl(broker.tlsServiceUrl())
                .operationTimeout(5, TimeUnit.SECONDS)
                .build();
        PulsarMessageBus bus = PulsarMessageBus.create(untrusting)) {

      CallsOverTls.assertAnUntrustingClientFailsSayingSo(bus, "tlsTrustCertsFilePath");
    }
  }
}
