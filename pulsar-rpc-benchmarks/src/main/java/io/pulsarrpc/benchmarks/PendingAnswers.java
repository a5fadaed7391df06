package io.pulsarrpc.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The calls of a raw round trip that wait for their answer: a map from id to future, and nothing
 * more, which is what makes the raw round trip a baseline. Thread-safe.
 */
final class PendingAnswers {

  private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  /**
   * Tracks call {@code id}, then sends it; the returned future completes when {@link #answered} is
   * called with the id, or fails when the send fails.
   */
  CompletableFuture<Void> send(String id, Supplier<? extends CompletionStage<?>> send) {
    CompletableFuture<Void> call = new CompletableFuture<>();
    pending.put(id, call);
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

  /** The answer to {@code id} came back; an id no call waits for is ignored. */
  void answered(String id) {
    CompletableFuture<Void> call = pending.remove(id);
    if (call != null) {
      call.complete(null);
    }
  }
}
