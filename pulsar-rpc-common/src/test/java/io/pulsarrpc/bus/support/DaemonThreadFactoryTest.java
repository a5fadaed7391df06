package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DaemonThreadFactoryTest {

  @Test
  void threadsAreDaemonsNamedAfterTheirOwnerAndCounted() {
    DaemonThreadFactory factory = new DaemonThreadFactory("pulsar-rpc-test");

    Thread first = factory.newThread(() -> {});
    Thread second = factory.newThread(() -> {});

    assertThat(first.isDaemon()).isTrue();
    assertThat(first.getName()).isEqualTo("pulsar-rpc-test-1");
    assertThat(second.getName()).isEqualTo("pulsar-rpc-test-2");
  }

  @Test
  void aBlankNameIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new DaemonThreadFactory(" "));
  }
}
