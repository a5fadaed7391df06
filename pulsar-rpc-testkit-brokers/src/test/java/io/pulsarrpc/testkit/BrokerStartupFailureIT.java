package io.pulsarrpc.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BrokerStartupFailureIT {

  @Test
  void aBrokerThatCannotStartFailsFastWithTheTailOfItsLog() {
    try (EmbeddedPulsarBroker broker =
        EmbeddedPulsarBroker.builder()
            .brokerSetting("managedLedgerDefaultEnsembleSize", "not-a-number")
            .startupTimeout(Duration.ofSeconds(90))
            .build()) {

      assertThatThrownBy(broker::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Embedded Pulsar broker exited with code")
          .hasMessageContaining("Last lines of")
          .hasMessageContaining("not-a-number");
    }
  }
}
