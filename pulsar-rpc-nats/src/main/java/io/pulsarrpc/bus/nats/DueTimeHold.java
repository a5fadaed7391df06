package io.pulsarrpc.bus.nats;

import io.nats.client.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the messages of one JetStream consumer that arrived shortly before their delivery time,
 * unacknowledged, and hands each over when its time comes. Thread-safe.
 *
 * <p>Why not give every early message back with a delayed negative acknowledgement, as for those
 * far from their time: JetStream then delivers it again only to a pull request that is open at that
 * moment, so it came up to a pull's expiry (one second) late, and a redelivery that met a pull
 * request as it expired was counted by the server but never reached the consumer, which left the
 * message waiting for the ack wait (30 s; seen on nats-server 2.9). A message held here is never
 * delivered again while it waits: the consumer holds only what is due within half the ack wait, and
 * restarts the ack wait (+WPI) when it hands the message over.
 *
 * <p>Timers run on the bus's timer thread; a message whose time came goes to {@code onDue} on the
 * bus's completion pool, never on the timer thread.
 */
final class DueTimeHold<T> {

  /** A message as delivered by jnats and as it will be handed over, and its time (epoch ms). */
  record Held<T>(
      NatsIncomingMessage<T> message, Message delivered, AckSubject metaData, long deliverAt) {}

  private final ScheduledExecutorService timer;
  private final Executor callbacks;
  private final Consumer<NatsIncomingMessage<T>> onDue;

  private final Object lock = new Object();
  // Guarded by lock; null once closed.
  private Map<Held<T>, ScheduledFuture<?>> waiting = new HashMap<>();

  DueTimeHold(
      ScheduledExecutorService timer, Executor callbacks, Consumer<NatsIncomingMessage<T>> onDue) {
    this.timer = timer;
    this.callbacks = callbacks;
    this.onDue = onDue;
  }

  /**
   * Hands {@code message} (delivered as {@code delivered}) to {@code onDue} at {@code deliverAt}.
   * Returns false, holding nothing, once closed.
   */
  boolean hold(
      NatsIncomingMessage<T> message, Message delivered, AckSubject metaData, long deliverAt) {
    Held<T> held = new Held<>(message, delivered, metaData, deliverAt);
    synchronized (lock) {
      if (waiting == null) {
        return false;
      }
      long delay = Math.max(0, deliverAt - System.currentTimeMillis());
      try {
        waiting.put(held, timer.schedule(() -> due(held), delay, TimeUnit.MILLISECONDS));
      } catch (RejectedExecutionException e) {
        // The bus is closing and its timer is gone.
        return false;
      }
      return true;
    }
  }

  /** How many messages wait for their time; for tests. */
  int size() {
    synchronized (lock) {
      return waiting == null ? 0 : waiting.size();
    }
  }

  /**
   * Stops every timer and returns the messages that were still waiting, for the caller to return.
   */
  List<Held<T>> close() {
    Map<Held<T>, ScheduledFuture<?>> left;
    synchronized (lock) {
      left = waiting;
      waiting = null;
    }
    if (left == null) {
      return List.of();
    }
    left.values().forEach(timer -> timer.cancel(false));
    return new ArrayList<>(left.keySet());
  }

  private void due(Held<T> held) {
    synchronized (lock) {
      if (waiting == null || waiting.remove(held) == null) {
        return;
      }
    }
    try {
      callbacks.execute(() -> onDue.accept(held.message()));
    } catch (RejectedExecutionException e) {
      onDue.accept(held.message());
    }
  }
}
