package io.pulsarrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoBusTest {

  @Test
  void theBusDefaultsToPulsarAndIsChosenWithDashDashBus() {
    assertThat(DemoBus.nameFromArguments(new String[0])).isEqualTo("pulsar");
    assertThat(DemoBus.nameFromArguments(new String[] {"--bus", "memory"})).isEqualTo("memory");
  }

  @Test
  void anUnknownBusGetsTheUsage() {
    assertThatThrownBy(() -> DemoBus.nameFromArguments(new String[] {"--bus", "carrier-pigeon"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Usage: --bus pulsar|redis|nats|memory");
  }
}
