package io.pulsarrpc.bus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WaitingReceivesTest {

  private final Object lock = new Object();
  private final WaitingReceives<String> waiting = new WaitingReceives<>(lock);

  @Test
  void receivesAreServedOldestFirst() {
    CompletableFuture<String> first;
    CompletableFuture<String> second;
    synchronized (lock) {
      first = waiting.enqueue();
      second = waiting.enqueue();
      assertThat(waiting.pollLive()).isSameAs(first);
      assertThat(waiting.pollLive()).isSameAs(second);
      assertThat(waiting.pollLive()).isNull();
    }
  }

  @Test
  void aReceiveItsCallerCancelledGivesUpItsPlace() {
    CompletableFuture<String> cancelled;
    CompletableFuture<String> live;
    synchronized (lock) {
      cancelled = waiting.enqueue();
      live = waiting.enqueue();
    }

    cancelled.cancel(false);

    synchronized (lock) {
      assertThat(waiting.liveCount()).isEqualTo(1);
      assertThat(waiting.hasLive()).isTrue();
      assertThat(waiting.pollLive()).isSameAs(live);
    }
  }

  @Test
  void aReceiveCompletedElsewhereIsSkipped() {
    CompletableFuture<String> completed;
    synchronized (lock) {
      completed = waiting.enqueue();
    }
    completed.complete("taken by its caller");

    synchronized (lock) {
      assertThat(waiting.hasLive()).isFalse();
      assertThat(waiting.pollLive()).isNull();
    }
  }

  @Test
  void drainHandsOverEveryWaitingReceiveAndEmptiesTheLine() {
    synchronized (lock) {
      waiting.enqueue();
      waiting.enqueue();

      assertThat(waiting.drain()).hasSize(2);
      assertThat(waiting.liveCount()).isZero();
    }
  }
}
