package io.pulsarrpc.bus.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.server.CallsOverTls;
import io.pulsarrpc.testkit.NatsTestServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS passes through: calls travel over {@code tls://}, trusting the server's authority. */
class NatsTlsIT {

  private static NatsTestServer nats;

  @BeforeAll
  static void startNatsWithTls() {
    nats = NatsTestServer.startLocalWithTls();
  }

  @AfterAll
  static void stopNats() {
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aCallMakesARoundTripOverTls() throws Exception {
    try (NatsMessageBus bus =
        NatsMessageBus.builder()
            .url(nats.url())
            .tlsTrustCertsFile(nats.tlsTrustCertsFile())
            .build()) {

      assertThat(nats.url()).startsWith("tls://");
      CallsOverTls.assertACallMakesARoundTrip(bus);
    }
  }

  @Test
  void aBusThatDoesNotTrustTheServersCertificateFailsAtBuildSayingSo() {
    long started = System.nanoTime();

    // jnats connects in build(), so the bus fails there, before any client.
    assertThatThrownBy(() -> NatsMessageBus.create(nats.url()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("does not trust the server's certificate")
        .hasMessageContaining("tlsTrustCertsFile");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CallsOverTls.FAILS_WITHIN);
  }
}
