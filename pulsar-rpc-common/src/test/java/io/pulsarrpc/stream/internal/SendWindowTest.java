package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SendWindowTest {

  private final SendWindow window = new SendWindow(2);

  private SendWindow.Release offer() {
    return window.offer(new byte[0], new CompletableFuture<>());
  }

  @Test
  void offersBeyondTheWindowWaitUnsent() {
    assertThat(offer().sequence()).isEqualTo(1);
    assertThat(offer().sequence()).isEqualTo(2);
    assertThat(offer()).isNull();

    assertThat(window.inFlight()).isEqualTo(2);
    assertThat(window.waiting()).isEqualTo(1);
  }

  @Test
  void acknowledgementCompletesThePeersTakenMessagesAndReleasesWaitingOnesInOrder() {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<Void> future = new CompletableFuture<>();
      futures.add(future);
      window.offer(new byte[0], future);
    }

    SendWindow.Acknowledged acknowledged = window.acknowledge(2);

    assertThat(acknowledged.completed()).containsExactly(futures.get(0), futures.get(1));
    assertThat(acknowledged.released())
        .extracting(SendWindow.Release::sequence)
        .containsExactly(3L, 4L);
    assertThat(window.waiting()).isEqualTo(1);
  }

  @Test
  void acknowledgementOfAMessageNeverSentIsRefused() {
    offer();

    assertThat(window.acknowledge(2)).isNull();
  }

  @Test
  void repeatedAcknowledgementChangesNothing() {
    offer();
    window.acknowledge(1);

    SendWindow.Acknowledged again = window.acknowledge(1);

    assertThat(again.completed()).isEmpty();
    assertThat(again.released()).isEmpty();
  }

  @Test
  void clearReturnsEveryUnacknowledgedFuture() {
    offer();
    offer();
    offer();

    assertThat(window.clear()).hasSize(3);
    assertThat(window.inFlight() + window.waiting()).isZero();
  }
}
