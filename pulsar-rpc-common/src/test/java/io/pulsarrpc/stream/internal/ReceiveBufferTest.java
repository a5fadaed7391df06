package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {

  private final ReceiveBuffer<String> buffer = new ReceiveBuffer<>(4);

  @Test
  void messageBeyondTheWindowOverflows() {
    for (int i = 0; i < 4; i++) {
      assertThat(buffer.offer("m" + i)).isEqualTo(ReceiveBuffer.Offered.TAKEN_OR_BUFFERED);
    }

    assertThat(buffer.offer("one too many")).isEqualTo(ReceiveBuffer.Offered.OVERFLOW);
    assertThat(buffer.buffered()).isEqualTo(4);
  }

  @Test
  void waitingReceiveIsMatchedWithTheNextArrivalInOrder() {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    assertThat(buffer.take(first, true)).isNull();
    assertThat(buffer.take(second, true)).isNull();

    buffer.offer("a");

    assertThat(buffer.matched()).isSameAs(first);
    assertThat(buffer.matchedMessage()).isEqualTo("a");
    assertThat(buffer.waitingReceives()).isEqualTo(1);
  }

  @Test
  void acknowledgementIsDueAtOnceWhenHalfTheWindowWasTaken() {
    buffer.offer("a");
    buffer.offer("b");
    buffer.take(new CompletableFuture<>(), true);
    assertThat(buffer.ackDue()).as("one taken of a window of 4").isZero();
    assertThat(buffer.ackPending()).isTrue();

    buffer.take(new CompletableFuture<>(), true);

    assertThat(buffer.ackDue()).isEqualTo(2);
    assertThat(buffer.ackPending()).isFalse();
  }

  @Test
  void flushAcknowledgesWhatWasTakenSinceTheLastAcknowledgement() {
    buffer.offer("a");
    buffer.take(new CompletableFuture<>(), true);

    assertThat(buffer.ackToSend()).isEqualTo(1);
    assertThat(buffer.ackToSend()).isZero();
  }

  @Test
  void clearingReceivesKeepsBufferedMessagesTakeable() {
    buffer.offer("kept");

    assertThat(buffer.clearReceives()).isEmpty();
    assertThat(buffer.take(new CompletableFuture<>(), false)).isEqualTo("kept");
  }
}
