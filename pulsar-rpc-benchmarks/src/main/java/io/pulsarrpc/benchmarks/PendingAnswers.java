package io.pulsarrpc.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The calls of a raw baseline that wait for their answers: a map from id to future (and a count of
 * the answers still to come), and nothing more, which is what makes the raw scenarios a baseline.
 * Thread-safe.
 */
final class PendingAnswers {

  private record Pending(CompletableFuture<Void> call, AtomicInteger answersToCome) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /**
   * Tracks call {@code id}, then sends it; the returned future completes when {@link #answered} is
   * called with the id, or fails when the send fails.
   */
  CompletableFuture<Void> send(String id, Supplier<? extends CompletionStage<?>> send) {
    return send(id, 1, send);
  }

  /**
   * Tracks call {@code id}, which {@code answers} receivers answer, then sends it; the returned
   * future completes when {@link #answered} was called that many times with the id.
   */
  CompletableFuture<Void> send(
      String id, int answers, Supplier<? extends CompletionStage<?>> send) {
    CompletableFuture<Void> call = new CompletableFuture<>();
    pending.put(id, new Pending(call, new AtomicInteger(answers)));
    send.get()
        .whenComplete(
            (sent, failure) -> {
              if (failure != null) {
                pending.remove(id);
                call.completeExceptionally(failure);
              }
            });
    return call;
  }

  /** An answer to {@code id} came back; an id no call waits for is ignored. */
  void answered(String id) {
    Pending call = pending.get(id);
    if (call != null && call.answersToCome().decrementAndGet() == 0) {
      pending.remove(id);
      call.call().complete(null);
    }
  }
}
