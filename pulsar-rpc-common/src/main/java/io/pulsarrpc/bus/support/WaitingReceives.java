package io.pulsarrpc.bus.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The receives a consumer owes a message, oldest first. A receive its caller completes first (a
 * timeout, a cancel) gives up its place: it is skipped when the next message is handed out and
 * removed as soon as it fails.
 *
 * <p>Not thread-safe on its own: every method must be called holding the lock given to the
 * constructor, which the consumer also holds while it decides what to hand out. Complete the
 * futures {@link #pollLive()} and {@link #drain()} return only after releasing that lock, since
 * completing runs the caller's callbacks, which may call back into the consumer.
 *
 * @param <M> the message type
 */
public final class WaitingReceives<M> {

  private final Object lock;
  private final Deque<CompletableFuture<M>> waiting = new ArrayDeque<>();

  /**
   * @param lock the consumer's lock, which guards this queue; taken again by the clean-up of a
   *     receive its caller fails
   */
  public WaitingReceives(Object lock) {
    this.lock = lock;
  }

  /** A new receive, last in line. Call holding the lock. */
  public CompletableFuture<M> enqueue() {
    CompletableFuture<M> receive = new CompletableFuture<>();
    waiting.addLast(receive);
    // A receive failed by its caller (a timeout, a cancel) must not stay in line for a message.
    receive.whenComplete(
        (message, error) -> {
          if (error != null) {
            synchronized (lock) {
              waiting.remove(receive);
            }
          }
        });
    return receive;
  }

  /** The oldest receive not completed yet, removed from the line; null when there is none. */
  public CompletableFuture<M> pollLive() {
    CompletableFuture<M> receive;
    while ((receive = waiting.pollFirst()) != null) {
      if (!receive.isDone()) {
        return receive;
      }
    }
    return null;
  }

  /** Whether a receive not completed yet waits. */
  public boolean hasLive() {
    while (!waiting.isEmpty() && waiting.peekFirst().isDone()) {
      waiting.pollFirst();
    }
    return !waiting.isEmpty();
  }

  /** How many receives not completed yet wait. */
  public int liveCount() {
    waiting.removeIf(CompletableFuture::isDone);
    return waiting.size();
  }

  /** Every waiting receive, oldest first, leaving the line empty: for a closing consumer. */
  public List<CompletableFuture<M>> drain() {
    List<CompletableFuture<M>> drained = new ArrayList<>(waiting);
    waiting.clear();
    return drained;
  }
}
