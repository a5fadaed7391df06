package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.bus.support.WaitingReceives;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of one durable JetStream pull consumer: a thread of its own asks the server, with
 * one pull request, for as many messages as {@link #receive()}s are waiting (at most {@link
 * SubscriptionSpec#receiverQueueSize()}), and hands each message to a waiting receive as it
 * arrives. A caller that stops receiving stops taking messages: the thread asks for no more than
 * receives wait for, and holds a message that came when none waited (unacknowledged, so at most one
 * pull request's worth) until one does. Thread-safe.
 *
 * <p>A message whose {@code deliverAt} is still in the future is not handed over before it. One due
 * within half the ack wait is held here, unacknowledged, and handed over at its time ({@link
 * DueTimeHold}); one further away is given back with a negative acknowledgement delayed until
 * shortly before its time (JetStream keeps that delay in the consumer's state, which survives
 * restarts), after noting the early delivery in {@link EarlyDeliveries}. Closing gives held
 * messages back the same way.
 *
 * <p>Receives complete on the consumer's thread, or for a held message on the bus's completion
 * pool, outside any lock; a callback that blocks there stops this consumer. The thread survives
 * server restarts and connection losses: it waits while the connection is down, and after an error
 * it rebinds (recreating the stream and durable consumer if they were lost) with a growing pause.
 * Only {@link #closeAsync()}, the bus's close, or the connection's final close end it.
 */
final class NatsBusConsumer<T> implements ManagedConsumer<T> {

  private static final Logger log = LoggerFactory.getLogger(NatsBusConsumer.class);

  private static final long MIN_PULL_MILLIS = 10;
  private static final long DISCONNECTED_PAUSE_MILLIS = 100;
  private static final long MAX_ERROR_PAUSE_MILLIS = 5_000;
  private static final long DRAIN_GRACE_MILLIS = 100;

  /** Binds (again) to the durable consumer, creating what is missing; blocking. */
  @FunctionalInterface
  interface Binder {
    JetStreamSubscription bind() throws IOException, JetStreamApiException;
  }

  private final SubscriptionSpec<T> spec;
  private final String stream;
  private final String durable;
  private final Connection connection;
  private final Binder binder;
  private final ExclusiveLease lease;
  private final ScheduledFuture<?> leaseRenewal;
  private final Runnable removal;
  private final EarlyDeliveries earlyDeliveries;
  private final NatsIncomingMessage.Settlement settlement;
  private final Executor cleanup;
  private final Consumer<NatsBusConsumer<?>> onClosed;
  private final Thread thread;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  private final DueTimeHold<T> early;
  private final long holdMillis;

  private final Object lock = new Object();
  // Guarded by lock.
  private final WaitingReceives<IncomingMessage<T>> waiting = new WaitingReceives<>(lock);
  // Guarded by lock: messages whose time came while no receive waited; receives take them first.
  private final Deque<NatsIncomingMessage<T>> due = new ArrayDeque<>();
  // Written under lock; volatile so that isConnected() reads it without the lock.
  private volatile String closedReason;

  // Written by the consumer's thread: when the server forgets its last pull request.
  private volatile long pullExpiresAt;

  // Used by the consumer's thread only, and by the cleanup after it stopped pulling.
  private volatile JetStreamSubscription subscription;

  /**
   * @param subscription already bound to the durable consumer
   * @param lease the exclusive lease, or null for a shared subscription
   * @param leaseRenewal renews the lease, or null
   * @param removal deletes a temporary subscription's consumer on the server (blocking), or null
   * @param cleanup runs the blocking part of closing, and hands over messages whose time came
   * @param timer the bus's timer, for messages held until their time
   * @param ackWait the durable consumer's ack wait; a message due within half of it is held here
   */
  NatsBusConsumer(
      SubscriptionSpec<T> spec,
      Connection connection,
      JetStreamSubscription subscription,
      Binder binder,
      ExclusiveLease lease,
      ScheduledFuture<?> leaseRenewal,
      Runnable removal,
      EarlyDeliveries earlyDeliveries,
      NatsIncomingMessage.Settlement settlement,
      Executor cleanup,
      ScheduledExecutorService timer,
      Duration ackWait,
      Consumer<NatsBusConsumer<?>> onClosed) {
    this.spec = spec;
    this.stream = NatsNames.streamName(spec.topic());
    this.durable = NatsNames.durableName(spec.subscription());
    this.connection = connection;
    this.subscription = subscription;
    this.binder = binder;
    this.lease = lease;
    this.leaseRenewal = leaseRenewal;
    this.removal = removal;
    this.earlyDeliveries = earlyDeliveries;
    this.settlement = settlement;
    this.cleanup = cleanup;
    this.onClosed = onClosed;
    this.early = new DueTimeHold<>(timer, cleanup, this::cameDue);
    this.holdMillis = ackWait.toMillis() / 2;
    this.thread =
        new DaemonThreadFactory("pulsar-rpc-nats-receive-" + durable)
            .newThread(this::pullWhileOpen);
  }

  /** Starts the consumer's thread. */
  @Override
  public void start() {
    thread.start();
  }

  @Override
  public String subscription() {
    return spec.subscription();
  }

  /**
   * The next message. Fails with an {@link IllegalStateException} once the consumer or its bus is
   * closed, including receives that were waiting. A receive its caller completes (a timeout, a
   * cancel) gives up its place; a message fetched for it meanwhile is given back at once.
   */
  @Override
  public CompletableFuture<IncomingMessage<T>> receive() {
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      NatsIncomingMessage<T> next = due.pollFirst();
      if (next != null) {
        return CompletableFuture.completedFuture(next);
      }
      lock.notifyAll();
      return waiting.enqueue();
    }
  }

  /**
   * Fails the waiting receives, stops pulling, unsubscribes and releases the exclusive lease.
   * Messages handed over and not acknowledged come back after the ack wait (they can still be
   * acknowledged until then). A temporary subscription's consumer is deleted instead, with what it
   * had not consumed. Idempotent.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    close(description() + " closed");
    return closed.copy();
  }

  /** True while the consumer is open and its NATS connection's status is {@code CONNECTED}. */
  @Override
  public boolean isConnected() {
    return closedReason == null && connection.getStatus() == Connection.Status.CONNECTED;
  }

  @Override
  public CompletableFuture<Void> close(String reason) {
    List<CompletableFuture<IncomingMessage<T>>> failed;
    List<NatsIncomingMessage<T>> untaken;
    synchronized (lock) {
      if (closedReason != null) {
        return closed.copy();
      }
      closedReason = reason;
      failed = waiting.drain();
      untaken = new ArrayList<>(due);
      due.clear();
      lock.notifyAll();
    }
    for (CompletableFuture<IncomingMessage<T>> receive : failed) {
      receive.completeExceptionally(new IllegalStateException(reason));
    }
    untaken.forEach(NatsIncomingMessage::giveBack);
    thread.interrupt();
    runCleanup(this::releaseEverything);
    return closed.copy();
  }

  /**
   * Completes once the closed consumer gave back what reached its last pull request and
   * unsubscribed (at most a pull's expiry, one second, after the close), or at once if it never
   * pulled.
   */
  @Override
  public CompletableFuture<Void> drained() {
    if (!thread.isAlive()) {
      drained.complete(null);
    }
    return drained.copy();
  }

  @Override
  public String toString() {
    return "NatsBusConsumer[" + description() + "]";
  }

  String description() {
    return "consumer of "
        + (removal != null ? "temporary" : lease == null ? "shared" : "exclusive")
        + " subscription '"
        + spec.subscription()
        + "' on topic '"
        + spec.topic()
        + "'";
  }

  private void pullWhileOpen() {
    int failures = 0;
    try {
      int waiting;
      while ((waiting = awaitWaitingReceives()) > 0) {
        if (connection.getStatus() == Connection.Status.CLOSED) {
          close(description() + " stopped: its NATS connection is closed");
          return;
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
          // Pulls made now would wait in the reconnect buffer and fetch messages later, for
          // receives that may be gone by then.
          pause(DISCONNECTED_PAUSE_MILLIS);
          continue;
        }
        long pullMillis = BusSettings.POLL_INTERVAL.toMillis();
        if (lease != null) {
          pullMillis = Math.min(pullMillis, lease.remaining().toMillis());
        }
        if (pullMillis < MIN_PULL_MILLIS) {
          // Not (or no longer) sure to hold the exclusive lease: pull nothing until renewed.
          pause(DISCONNECTED_PAUSE_MILLIS);
          continue;
        }
        try {
          if (subscription == null) {
            subscription = binder.bind();
            if (isClosed()) {
              // The cleanup may have run before this subscription existed.
              return;
            }
          }
          // One pull request for every receive waiting: the server sends each message as it comes,
          // and the request ends when all came or it expired. Then the next one asks for as many
          // as wait by then.
          pullExpiresAt = System.currentTimeMillis() + pullMillis;
          Iterator<Message> batch =
              subscription.iterate(
                  Math.min(waiting, spec.receiverQueueSize()), Duration.ofMillis(pullMillis));
          while (batch.hasNext()) {
            handle(batch.next());
          }
          failures = 0;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
          if (isClosed()) {
            return;
          }
          if (connection.getStatus() == Connection.Status.CLOSED) {
            close(description() + " stopped: its NATS connection is closed");
            return;
          }
          failures++;
          long pauseMillis = Math.min(MAX_ERROR_PAUSE_MILLIS, 100L << Math.min(failures, 6));
          log.warn(
              "{} could not pull from NATS (attempt {}); binding again in {} ms: {}",
              description(),
              failures,
              pauseMillis,
              e.toString());
          dropSubscription();
          pause(pauseMillis);
          continue;
        }
      }
    } catch (InterruptedException e) {
      // Closing.
    } catch (RuntimeException | Error e) {
      log.error("{} stopped unexpectedly", description(), e);
      close(description() + " stopped: " + e);
    } finally {
      if (isClosed()) {
        drainThenDrop();
      }
      drained.complete(null);
    }
  }

  /**
   * The server keeps the last pull request until it expires, even after this consumer is gone, and
   * would deliver messages to it that nobody reads until the ack wait (30 s) passes. So the closed
   * consumer keeps reading until then and gives each such message back at once, for another
   * consumer of the subscription; then it unsubscribes.
   */
  private void drainThenDrop() {
    // The close interrupted this thread; the drain must be able to wait.
    Thread.interrupted();
    JetStreamSubscription current = subscription;
    try {
      long left;
      while (current != null
          && connection.getStatus() == Connection.Status.CONNECTED
          && (left = pullExpiresAt + DRAIN_GRACE_MILLIS - System.currentTimeMillis()) > 0) {
        Message late = current.nextMessage(Duration.ofMillis(left));
        if (late != null && late.isJetStream()) {
          giveBackLate(late);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("{} stopped giving back late messages: {}", description(), e.toString());
    } finally {
      dropSubscription();
    }
  }

  private void handle(Message message) throws InterruptedException {
    if (!message.isJetStream()) {
      return;
    }
    MessageHeaders.Decoded headers = MessageHeaders.read(message.getHeaders());
    AckSubject metaData = AckSubject.parse(message.getReplyTo());
    long now = System.currentTimeMillis();
    long early = headers.deliverAt() - now;
    if (early > holdMillis) {
      // Back to JetStream until shortly before its time; then it is held here for the rest.
      holdBack(message, metaData, early - holdMillis / 2);
      return;
    }
    long hidden = 0;
    if (headers.deliverAt() > 0 && metaData.deliveredCount() > 1) {
      hidden = earlyDeliveries.hiddenDeliveries(stream, durable, metaData.streamSequence());
    }
    long redeliveries = Math.max(0, metaData.deliveredCount() - 1 - hidden);
    NatsIncomingMessage<T> incoming =
        new NatsIncomingMessage<>(
            spec.topic(),
            spec.schema(),
            message,
            headers,
            message.getData() == null ? new byte[0] : message.getData(),
            metaData.streamSequence(),
            metaData.timestampMillis(),
            (int) Math.min(Integer.MAX_VALUE, redeliveries),
            settlement,
            this::isClosed);
    if (early > 0) {
      if (!this.early.hold(incoming, message, metaData, headers.deliverAt())) {
        holdBack(message, metaData, early);
      }
      return;
    }
    handOver(incoming);
  }

  /**
   * A held message's time came (on the bus's completion pool): to a waiting receive, or first in
   * line for the next one. Its ack wait starts again now, as if it had just been delivered.
   */
  private void cameDue(NatsIncomingMessage<T> incoming) {
    incoming.restartAckWait();
    while (true) {
      CompletableFuture<IncomingMessage<T>> receive;
      synchronized (lock) {
        if (closedReason != null) {
          receive = null;
        } else {
          receive = waiting.pollLive();
          if (receive == null) {
            due.addLast(incoming);
            return;
          }
        }
      }
      if (receive == null) {
        incoming.giveBack();
        return;
      }
      // Outside the lock: the receive's callbacks run now, on this thread.
      if (receive.complete(incoming)) {
        return;
      }
    }
  }

  /**
   * Gives back a message that reached the closed consumer: at once, or, when it is early, until
   * shortly before its time, as a hidden delivery.
   */
  private void giveBackLate(Message message) {
    MessageHeaders.Decoded headers = MessageHeaders.read(message.getHeaders());
    long early = headers.deliverAt() - System.currentTimeMillis();
    if (early > 0) {
      holdBack(
          message, AckSubject.parse(message.getReplyTo()), Math.max(1, early - holdMillis / 2));
    } else {
      message.nak();
    }
  }

  /** Not due yet: back to JetStream, to be delivered again after {@code delayMillis}. */
  private void holdBack(Message message, AckSubject metaData, long delayMillis) {
    earlyDeliveries.record(stream, durable, metaData.streamSequence(), metaData.deliveredCount());
    try {
      message.nakWithDelay(Duration.ofMillis(delayMillis));
    } catch (RuntimeException e) {
      // It comes back after the ack wait instead, and is held back again if still early.
      log.debug("{} could not hold back message {}: {}", description(), metaData, e.toString());
    }
  }

  /**
   * Completes the oldest waiting receive with the message, or, when none waits, holds the message
   * until one does (the message stays unacknowledged meanwhile, within what the last pull request
   * asked for). Gives it back when the consumer closes first.
   */
  private void handOver(NatsIncomingMessage<T> incoming) throws InterruptedException {
    while (true) {
      CompletableFuture<IncomingMessage<T>> receive;
      synchronized (lock) {
        try {
          while (closedReason == null && !waiting.hasLive()) {
            lock.wait();
          }
        } catch (InterruptedException e) {
          incoming.giveBack();
          throw e;
        }
        receive = closedReason == null ? waiting.pollLive() : null;
      }
      if (receive == null) {
        incoming.giveBack();
        return;
      }
      // Outside the lock: the receive's callbacks run now, on this thread.
      if (receive.complete(incoming)) {
        return;
      }
    }
  }

  /** Waits until a receive is waiting and returns how many are; 0 once closed. */
  private int awaitWaitingReceives() throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (closedReason != null) {
          return 0;
        }
        int live = waiting.liveCount();
        if (live > 0) {
          return live;
        }
        lock.wait();
      }
    }
  }

  private void pause(long millis) throws InterruptedException {
    synchronized (lock) {
      if (closedReason == null) {
        lock.wait(millis);
      }
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closedReason != null;
    }
  }

  private void dropSubscription() {
    JetStreamSubscription current = subscription;
    subscription = null;
    if (current != null) {
      try {
        current.unsubscribe();
      } catch (RuntimeException e) {
        log.debug("{} could not unsubscribe: {}", description(), e.toString());
      }
    }
  }

  private void releaseEverything() {
    // Not due yet: back to JetStream until their time, noted as early deliveries (blocking).
    for (DueTimeHold.Held<T> held : early.close()) {
      holdBack(
          held.delivered(),
          held.metaData(),
          Math.max(1, held.deliverAt() - System.currentTimeMillis() - holdMillis / 2));
    }
    try {
      if (leaseRenewal != null) {
        leaseRenewal.cancel(false);
      }
      if (!thread.isAlive()) {
        // Never started (or done): nobody else drops the subscription.
        dropSubscription();
      }
      if (lease != null) {
        lease.release();
      }
      if (removal != null) {
        removal.run();
      }
    } catch (RuntimeException e) {
      log.warn("{}: {}", description(), e.toString());
    } finally {
      onClosed.accept(this);
      closed.complete(null);
    }
  }

  private void runCleanup(Runnable task) {
    try {
      cleanup.execute(task);
    } catch (RuntimeException e) {
      // The bus's threads are gone (it is closing): clean up on this thread.
      task.run();
    }
  }
}
