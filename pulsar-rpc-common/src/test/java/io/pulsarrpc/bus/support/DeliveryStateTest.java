package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.support.DeliveryState.Settlement;
import org.junit.jupiter.api.Test;

class DeliveryStateTest {

  private final DeliveryState state = new DeliveryState();

  @Test
  void aDeliveryIsAcknowledgedOnce() {
    assertThat(state.acknowledge()).isEqualTo(Settlement.DELIVERED);
    assertThat(state.acknowledge()).isEqualTo(Settlement.ACKNOWLEDGED);
    assertThat(state.current()).isEqualTo(Settlement.ACKNOWLEDGED);
  }

  @Test
  void aNegativeAcknowledgementAfterAnAcknowledgementDoesNothing() {
    state.acknowledge();

    assertThat(state.negativeAcknowledge()).isFalse();
    assertThat(state.current()).isEqualTo(Settlement.ACKNOWLEDGED);
  }

  @Test
  void aNegativelyAcknowledgedDeliveryMayStillBeAcknowledgedButNotNegativelyAgain() {
    assertThat(state.negativeAcknowledge()).isTrue();
    assertThat(state.negativeAcknowledge()).isFalse();

    assertThat(state.acknowledge()).isEqualTo(Settlement.NEGATIVELY_ACKNOWLEDGED);
  }

  @Test
  void aReturnedDeliveryCanNoLongerBeSettled() {
    assertThat(state.returned()).isEqualTo(Settlement.DELIVERED);

    assertThat(state.acknowledge()).isEqualTo(Settlement.RETURNED);
    assertThat(state.negativeAcknowledge()).isFalse();
    assertThat(state.current()).isEqualTo(Settlement.RETURNED);
  }

  @Test
  void returnFromMovesOnlyFromTheExpectedState() {
    assertThat(state.returnFrom(Settlement.NEGATIVELY_ACKNOWLEDGED)).isFalse();
    assertThat(state.returnFrom(Settlement.DELIVERED)).isTrue();
    assertThat(state.current()).isEqualTo(Settlement.RETURNED);
  }

  @Test
  void anAcknowledgedDeliveryIsNotReturned() {
    state.acknowledge();

    assertThat(state.returned()).isEqualTo(Settlement.ACKNOWLEDGED);
    assertThat(state.current()).isEqualTo(Settlement.ACKNOWLEDGED);
  }
}
