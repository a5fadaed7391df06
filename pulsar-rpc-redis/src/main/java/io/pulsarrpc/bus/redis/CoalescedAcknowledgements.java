package io.pulsarrpc.bus.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The XACKs of one consumer, coalesced: one XACK is on its way to Redis at a time, and the entries
 * acknowledged meanwhile wait and go together in the next one. A consumer that acknowledges
 * thousands of entries a second then sends one command per round trip instead of one per entry,
 * which is most of what Redis and Lettuce would otherwise spend on acknowledgements; a lone
 * acknowledgement goes at once.
 *
 * <p>Guarantees: an entry is acknowledged only when {@link #enqueue} was called for it, and its
 * future completes after the XACK that carried it completed (normally, or with that XACK's error
 * for every entry it carried). XACKs go in the order their entries were added.
 *
 * <p>Thread-safe. The futures complete, and {@code onDone} runs, on a Lettuce thread, after the
 * next XACK was sent, so that callbacks never delay the entries that waited behind them.
 */
final class CoalescedAcknowledgements {

  private final BusResources resources;
  private final ConsumerKeys keys;
  private final Consumer<List<String>> onDone;

  private final Object lock = new Object();
  // Guarded by lock. Entries waiting for the XACK in flight to complete, and their futures.
  private List<String> queuedIds = new ArrayList<>();
  private List<CompletableFuture<Void>> queuedFutures = new ArrayList<>();
  // Guarded by lock. Whether an XACK is in flight (or about to be sent).
  private boolean sending;
  // Guarded by lock. Completes once nothing is queued or in flight; null while that is so.
  private CompletableFuture<Void> drained;

  /**
   * @param onDone runs with the ids of each XACK once it completed, whatever its outcome, before
   *     their futures complete
   */
  CoalescedAcknowledgements(
      BusResources resources, ConsumerKeys keys, Consumer<List<String>> onDone) {
    this.resources = resources;
    this.keys = keys;
    this.onDone = onDone;
  }

  /**
   * Queues entry {@code id} for the next XACK; the caller then calls {@link #flush()}, outside any
   * lock of its own. Queue and flush are apart so that a caller can queue under the lock that
   * decides whether the entry may still be acknowledged.
   */
  CompletableFuture<Void> enqueue(String id) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    synchronized (lock) {
      queuedIds.add(id);
      queuedFutures.add(acknowledged);
    }
    return acknowledged;
  }

  /** Sends the queued entries now, unless an XACK is in flight: its completion sends them. */
  void flush() {
    synchronized (lock) {
      if (sending || queuedIds.isEmpty()) {
        return;
      }
      sending = true;
    }
    sendQueued();
  }

  /** Completes once every entry queued so far was acknowledged or failed. */
  CompletableFuture<Void> drained() {
    synchronized (lock) {
      if (!sending && queuedIds.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      if (drained == null) {
        drained = new CompletableFuture<>();
      }
      return drained.copy();
    }
  }

  private void sendQueued() {
    List<String> ids;
    List<CompletableFuture<Void>> futures;
    CompletableFuture<Void> nowDrained = null;
    synchronized (lock) {
      if (queuedIds.isEmpty()) {
        sending = false;
        nowDrained = drained;
        drained = null;
        ids = null;
        futures = null;
      } else {
        ids = queuedIds;
        futures = queuedFutures;
        queuedIds = new ArrayList<>();
        queuedFutures = new ArrayList<>();
      }
    }
    if (ids == null) {
      if (nowDrained != null) {
        nowDrained.complete(null);
      }
      return;
    }
    String[] xack = ids.toArray(String[]::new);
    resources
        .commands()
        .thenCompose(commands -> commands.xack(keys.stream(), keys.group(), xack))
        .whenComplete(
            (count, error) -> {
              sendQueued();
              onDone.accept(ids);
              for (CompletableFuture<Void> future : futures) {
                if (error == null) {
                  future.complete(null);
                } else {
                  future.completeExceptionally(error);
                }
              }
            });
  }
}
