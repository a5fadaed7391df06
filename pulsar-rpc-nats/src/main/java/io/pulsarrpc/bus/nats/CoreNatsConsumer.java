package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.WaitingReceives;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of one subscription on core NATS: a subscription to the topic's subject in the queue
 * group named after the subscription, so that consumers of one subscription share its messages and
 * every subscription gets every message. Thread-safe.
 *
 * <p>Each message goes to a waiting {@link #receive()}, or waits in this consumer's memory for the
 * next one; it is never answered (its reply subject is the publisher's, for the server's "no
 * responders" status, see {@link RoutingConfirmations}). Core NATS has no back-pressure: at most
 * {@code maxHeld} messages wait, and beyond that a message is dropped with a warning, as NATS drops
 * messages for a slow consumer. Messages arrive and receives complete on the consumer's own
 * dispatcher thread; a callback that blocks there stops this consumer.
 */
final class CoreNatsConsumer<T> implements ManagedConsumer<T> {

  private static final Logger log = LoggerFactory.getLogger(CoreNatsConsumer.class);

  private final SubscriptionSpec<T> spec;
  private final Connection connection;
  private final NatsIncomingMessage.Settlement settlement;
  private final int maxHeld;
  private final Consumer<CoreNatsConsumer<?>> onClosed;
  private final Dispatcher dispatcher;

  private final Object lock = new Object();
  // Guarded by lock.
  private final WaitingReceives<IncomingMessage<T>> waiting = new WaitingReceives<>(lock);
  private final Deque<NatsIncomingMessage<T>> held = new ArrayDeque<>();
  private long received;
  private long dropped;
  // Written under lock; volatile so that isConnected() reads it without the lock.
  private volatile String closedReason;

  CoreNatsConsumer(
      SubscriptionSpec<T> spec,
      Connection connection,
      NatsIncomingMessage.Settlement settlement,
      int maxHeld,
      Consumer<CoreNatsConsumer<?>> onClosed) {
    this.spec = spec;
    this.connection = connection;
    this.settlement = settlement;
    this.maxHeld = maxHeld;
    this.onClosed = onClosed;
    this.dispatcher = connection.createDispatcher(this::arrived);
  }

  /**
   * Subscribes; messages published after this reach the consumer. A temporary subscription is a
   * plain subscription, without queue group: it has one consumer, and the server forgets it when
   * the consumer unsubscribes or its connection goes.
   */
  @Override
  public void start() {
    String subject = NatsNames.subject(spec.topic());
    if (spec.isTemporary()) {
      dispatcher.subscribe(subject);
    } else {
      dispatcher.subscribe(subject, NatsNames.durableName(spec.subscription()));
    }
  }

  @Override
  public String subscription() {
    return spec.subscription();
  }

  String topic() {
    return spec.topic();
  }

  boolean isExclusive() {
    return spec.mode() == SubscriptionMode.EXCLUSIVE;
  }

  /**
   * The next message. Fails with an {@link IllegalStateException} once the consumer or its bus is
   * closed, including receives that were waiting.
   */
  @Override
  public CompletableFuture<IncomingMessage<T>> receive() {
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      NatsIncomingMessage<T> next = held.pollFirst();
      if (next != null) {
        return CompletableFuture.completedFuture(next);
      }
      return waiting.enqueue();
    }
  }

  /**
   * Unsubscribes and fails the waiting receives. Messages held for receives are lost, as core NATS
   * keeps no copy. Idempotent.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    close(description() + " closed");
    return CompletableFuture.completedFuture(null);
  }

  /** True while the consumer is open and its NATS connection's status is {@code CONNECTED}. */
  @Override
  public boolean isConnected() {
    return closedReason == null && connection.getStatus() == Connection.Status.CONNECTED;
  }

  @Override
  public CompletableFuture<Void> close(String reason) {
    List<CompletableFuture<IncomingMessage<T>>> failed;
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.completedFuture(null);
      }
      closedReason = reason;
      failed = waiting.drain();
      held.clear();
    }
    try {
      connection.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      log.debug("{} could not unsubscribe: {}", description(), e.toString());
    }
    for (CompletableFuture<IncomingMessage<T>> receive : failed) {
      receive.completeExceptionally(new IllegalStateException(reason));
    }
    onClosed.accept(this);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return "CoreNatsConsumer[" + description() + "]";
  }

  String description() {
    return "consumer of core NATS subscription '"
        + spec.subscription()
        + "' on topic '"
        + spec.topic()
        + "'";
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closedReason != null;
    }
  }

  private void arrived(Message message) {
    long now = System.currentTimeMillis();
    long sequence;
    synchronized (lock) {
      sequence = ++received;
    }
    CoreEnvelope.Opened opened = CoreEnvelope.read(message, now);
    NatsIncomingMessage<T> incoming =
        new NatsIncomingMessage<>(
            spec.topic(),
            spec.schema(),
            message,
            opened.fields(),
            opened.value(),
            sequence,
            opened.publishTime(),
            0,
            settlement,
            this::isClosed);
    while (true) {
      CompletableFuture<IncomingMessage<T>> receive;
      long droppedSoFar = 0;
      synchronized (lock) {
        if (closedReason != null) {
          return;
        }
        receive = waiting.pollLive();
        if (receive == null) {
          if (held.size() < maxHeld) {
            held.addLast(incoming);
            return;
          }
          droppedSoFar = ++dropped;
        }
      }
      if (receive == null) {
        log.warn(
            "{} dropped a message: {} wait for receives already ({} dropped so far)",
            description(),
            maxHeld,
            droppedSoFar);
        return;
      }
      // Outside the lock: the receive's callbacks run now, on this thread.
      if (receive.complete(incoming)) {
        return;
      }
    }
  }
}
