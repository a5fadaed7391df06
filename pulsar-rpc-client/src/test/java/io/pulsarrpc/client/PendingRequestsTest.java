package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

  private final PendingRequests<String> pending = new PendingRequests<>(2);

  private static TestCall call(String id) {
    return new TestCall(id);
  }

  /** A call that is done once its future is. */
  private static final class TestCall extends PendingCall<String> {
    final CompletableFuture<String> future = new CompletableFuture<>();

    TestCall(String correlationId) {
      super(
          new ClientCall<>(correlationId, "value", Duration.ofSeconds(30), Map.of(), Map.of(), 0),
          "single");
    }

    @Override
    boolean isDone() {
      return future.isDone();
    }

    @Override
    void onReply(ReplyHeaders headers, IncomingMessage<String> message) {}

    @Override
    void removed() {}

    @Override
    void closed(ClientClosedException closed) {
      future.completeExceptionally(closed);
    }
  }

  @Test
  void aSecondCallWithTheSameIdIsADuplicate() {
    assertThat(pending.add(call("a"))).isEqualTo(PendingRequests.AddResult.ADDED);
    assertThat(pending.add(call("a"))).isEqualTo(PendingRequests.AddResult.DUPLICATE);
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void theIdOfACompletedCallIsFreeEvenBeforeItsEntryLeaves() {
    TestCall done = call("a");
    pending.add(done);
    done.future.complete("reply");
    TestCall again = call("a");

    assertThat(pending.add(again)).isEqualTo(PendingRequests.AddResult.ADDED);
    assertThat(pending.get("a")).isSameAs(again);
    assertThat(pending.size()).isEqualTo(1);
    assertThat(pending.remove(done)).isFalse();
  }

  @Test
  void callsBeyondTheBoundAreRefusedUntilOneLeaves() {
    TestCall first = call("a");
    pending.add(first);
    pending.add(call("b"));

    assertThat(pending.add(call("c"))).isEqualTo(PendingRequests.AddResult.FULL);
    pending.remove(first);
    assertThat(pending.add(call("c"))).isEqualTo(PendingRequests.AddResult.ADDED);
  }

  @Test
  void removingACallLeavesANewerCallWithTheSameIdInPlace() {
    TestCall old = call("a");
    pending.add(old);
    pending.remove(old);
    TestCall newer = call("a");
    pending.add(newer);

    assertThat(pending.remove(old)).isFalse();
    assertThat(pending.get("a")).isSameAs(newer);
  }

  @Test
  void drainEmptiesTheTable() {
    pending.add(call("a"));
    pending.add(call("b"));

    assertThat(pending.drain()).hasSize(2);
    assertThat(pending.size()).isZero();
    assertThat(pending.get("a")).isNull();
  }
}
