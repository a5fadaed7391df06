package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawPulsarRoundTripTest {

  @Test
  void theResponderWorkKeepsTheThreadBusyForAtLeastItsTime() {
    long started = System.nanoTime();

    RawPulsarRoundTrip.busy(3_000_000);

    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(3_000_000);
  }
}
