package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The frames of one stream on their way to the peer, handed to the bus in the order they were
 * {@linkplain #enqueue enqueued}. A stream enqueues under its lock, so the order is that of its
 * state changes (sequence numbers in order), and {@linkplain #drain drains} after releasing it, so
 * no bus call runs under the lock.
 *
 * <p>Thread-safe: any thread may enqueue and drain; one drains at a time and the others leave their
 * frames to it. After {@link #halt()} nothing more is sent.
 */
final class FrameOutbox {

  private final BusProducer<byte[]> producer;
  private final Consumer<Throwable> onFailure;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean halted;

  private record Pending(OutgoingMessage<byte[]> frame, CompletableFuture<Void> sent) {}

  /**
   * @param onFailure told of a frame the bus refused (once per frame)
   */
  FrameOutbox(BusProducer<byte[]> producer, Consumer<Throwable> onFailure) {
    this.producer = producer;
    this.onFailure = onFailure;
  }

  /** Queues a frame; the future completes once the bus stored it, or fails. */
  CompletableFuture<Void> enqueue(OutgoingMessage<byte[]> frame) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    queue.add(new Pending(frame, sent));
    return sent;
  }

  /** Hands the queued frames to the bus, in order. */
  void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    while (true) {
      Pending next;
      while ((next = queue.poll()) != null) {
        if (halted) {
          next.sent.complete(null);
          continue;
        }
        Pending pending = next;
        try {
          producer
              .send(pending.frame)
              .whenComplete(
                  (id, failure) -> {
                    if (failure != null) {
                      pending.sent.completeExceptionally(failure);
                      onFailure.accept(failure);
                    } else {
                      pending.sent.complete(null);
                    }
                  });
        } catch (RuntimeException e) {
          pending.sent.completeExceptionally(e);
          onFailure.accept(e);
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Sends nothing more; frames queued or enqueued later are dropped. */
  void halt() {
    halted = true;
  }
}
