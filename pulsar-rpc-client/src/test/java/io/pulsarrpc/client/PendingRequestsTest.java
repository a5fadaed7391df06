package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

  private final PendingRequests<String> pending = new PendingRequests<>(2);

  private static PendingRequests.Call<String> call(String id) {
    return new PendingRequests.Call<>(id, new CompletableFuture<>());
  }

  @Test
  void aSecondCallWithTheSameIdIsADuplicate() {
    assertThat(pending.add(call("a"))).isEqualTo(PendingRequests.AddResult.ADDED);
    assertThat(pending.add(call("a"))).isEqualTo(PendingRequests.AddResult.DUPLICATE);
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void theIdOfACompletedCallIsFreeEvenBeforeItsEntryLeaves() {
    PendingRequests.Call<String> done = call("a");
    pending.add(done);
    done.future.complete("reply");
    PendingRequests.Call<String> again = call("a");

    assertThat(pending.add(again)).isEqualTo(PendingRequests.AddResult.ADDED);
    assertThat(pending.get("a")).isSameAs(again);
    assertThat(pending.size()).isEqualTo(1);
    assertThat(pending.remove(done)).isFalse();
  }

  @Test
  void callsBeyondTheBoundAreRefusedUntilOneLeaves() {
    PendingRequests.Call<String> first = call("a");
    pending.add(first);
    pending.add(call("b"));

    assertThat(pending.add(call("c"))).isEqualTo(PendingRequests.AddResult.FULL);
    pending.remove(first);
    assertThat(pending.add(call("c"))).isEqualTo(PendingRequests.AddResult.ADDED);
  }

  @Test
  void removingACallLeavesANewerCallWithTheSameIdInPlace() {
    PendingRequests.Call<String> old = call("a");
    pending.add(old);
    pending.remove(old);
    PendingRequests.Call<String> newer = call("a");
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
