package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of one durable JetStream pull consumer: a thread of its own pulls one message at a
 * time, and only while a {@link #receive()} is waiting, so a caller that stops receiving stops
 * taking messages. Thread-safe.
 *
 * <p>A message whose {@code deliverAt} is still in the future is not handed over: the thread gives
 * it back with a negative acknowledgement delayed until its time (JetStream keeps that delay in the
 * consumer's state, which survives restarts), after noting the early delivery in {@link
 * EarlyDeliveries}.
 *
 * <p>Receives complete on the consumer's thread, outside any lock; a callback that blocks there
 * stops this consumer. The thread survives server restarts and connection losses: it waits while
 * the connection is down, and after an error it rebinds (recreating the stream and durable consumer
 * if they were lost) with a growing pause. Only {@link #closeAsync()}, the bus's close, or the
 * connection's final close end it.
 */
final class NatsBusConsumer<T> implements BusConsumer<T> {

  private static final Logger log = LoggerFactory.getLogger(NatsBusConsumer.class);

  private static final long MIN_PULL_MILLIS = 10;
  private static final long DISCONNECTED_PAUSE_MILLIS = 100;
  private static final long MAX_ERROR_PAUSE_MILLIS = 5_000;

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
  private final EarlyDeliveries earlyDeliveries;
  private final NatsIncomingMessage.Settlement settlement;
  private final Executor cleanup;
  private final Consumer<NatsBusConsumer<?>> onClosed;
  private final Thread thread;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final Deque<CompletableFuture<IncomingMessage<T>>> waiting = new ArrayDeque<>();
  private String closedReason;

  // Used by the consumer's thread only, and by the cleanup after it stopped pulling.
  private volatile JetStreamSubscription subscription;

  /**
   * @param subscription already bound to the durable consumer
   * @param lease the exclusive lease, or null for a shared subscription
   * @param leaseRenewal renews the lease, or null
   * @param cleanup runs the blocking part of closing
   */
  NatsBusConsumer(
      SubscriptionSpec<T> spec,
      Connection connection,
      JetStreamSubscription subscription,
      Binder binder,
      ExclusiveLease lease,
      ScheduledFuture<?> leaseRenewal,
      EarlyDeliveries earlyDeliveries,
      NatsIncomingMessage.Settlement settlement,
      Executor cleanup,
      Consumer<NatsBusConsumer<?>> onClosed) {
    this.spec = spec;
    this.stream = NatsNames.streamName(spec.topic());
    this.durable = NatsNames.durableName(spec.subscription());
    this.connection = connection;
    this.subscription = subscription;
    this.binder = binder;
    this.lease = lease;
    this.leaseRenewal = leaseRenewal;
    this.earlyDeliveries = earlyDeliveries;
    this.settlement = settlement;
    this.cleanup = cleanup;
    this.onClosed = onClosed;
    this.thread = new Thread(this::pullWhileOpen, "pulsar-rpc-nats-receive-" + durable);
    this.thread.setDaemon(true);
  }

  /** Starts the consumer's thread. */
  void start() {
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
    CompletableFuture<IncomingMessage<T>> receive = new CompletableFuture<>();
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      waiting.addLast(receive);
      lock.notifyAll();
    }
    return receive;
  }

  /**
   * Fails the waiting receives, stops pulling, unsubscribes and releases the exclusive lease.
   * Messages handed over and not acknowledged come back after the ack wait (they can still be
   * acknowledged until then). Idempotent.
   */
  @Override
  public CompletableFuture<Void> closeAsync() {
    close(description() + " closed");
    return closed.copy();
  }

  /** Closes with {@code reason} as the message of the failed receives. */
  CompletableFuture<Void> close(String reason) {
    List<CompletableFuture<IncomingMessage<T>>> failed;
    synchronized (lock) {
      if (closedReason != null) {
        return closed.copy();
      }
      closedReason = reason;
      failed = new ArrayList<>(waiting);
      waiting.clear();
      lock.notifyAll();
    }
    for (CompletableFuture<IncomingMessage<T>> receive : failed) {
      receive.completeExceptionally(new IllegalStateException(reason));
    }
    thread.interrupt();
    runCleanup(this::releaseEverything);
    return closed.copy();
  }

  @Override
  public String toString() {
    return "NatsBusConsumer[" + description() + "]";
  }

  String description() {
    return "consumer of "
        + (lease == null ? "shared" : "exclusive")
        + " subscription '"
        + spec.subscription()
        + "' on topic '"
        + spec.topic()
        + "'";
  }

  private void pullWhileOpen() {
    int failures = 0;
    try {
      while (awaitWaitingReceive()) {
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
        List<Message> fetched;
        try {
          if (subscription == null) {
            subscription = binder.bind();
            if (isClosed()) {
              // The cleanup may have run before this subscription existed.
              return;
            }
          }
          fetched = subscription.fetch(1, Duration.ofMillis(pullMillis));
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
        for (Message message : fetched) {
          handle(message);
        }
      }
    } catch (InterruptedException e) {
      // Closing.
    } catch (RuntimeException | Error e) {
      log.error("{} stopped unexpectedly", description(), e);
      close(description() + " stopped: " + e);
    } finally {
      if (isClosed()) {
        dropSubscription();
      }
    }
  }

  private void handle(Message message) {
    if (!message.isJetStream()) {
      return;
    }
    MessageHeaders.Decoded headers = MessageHeaders.read(message.getHeaders());
    NatsJetStreamMetaData metaData = message.metaData();
    long now = System.currentTimeMillis();
    if (headers.deliverAt() > now) {
      holdBack(message, metaData, headers.deliverAt() - now);
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
            (int) Math.min(Integer.MAX_VALUE, redeliveries),
            settlement);
    handOver(incoming);
  }

  /** Not due yet: back to JetStream, to be delivered again at its time. */
  private void holdBack(Message message, NatsJetStreamMetaData metaData, long delayMillis) {
    earlyDeliveries.record(stream, durable, metaData.streamSequence(), metaData.deliveredCount());
    try {
      message.nakWithDelay(Duration.ofMillis(delayMillis));
    } catch (RuntimeException e) {
      // It comes back after the ack wait instead, and is held back again if still early.
      log.debug("{} could not hold back message {}: {}", description(), metaData, e.toString());
    }
  }

  private void handOver(NatsIncomingMessage<T> incoming) {
    while (true) {
      CompletableFuture<IncomingMessage<T>> receive;
      synchronized (lock) {
        receive = closedReason == null ? waiting.pollFirst() : null;
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

  /** Waits until a receive is waiting; false once closed. */
  private boolean awaitWaitingReceive() throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (closedReason != null) {
          return false;
        }
        while (!waiting.isEmpty() && waiting.peekFirst().isDone()) {
          waiting.pollFirst();
        }
        if (!waiting.isEmpty()) {
          return true;
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
    try {
      if (leaseRenewal != null) {
        leaseRenewal.cancel(false);
      }
      dropSubscription();
      if (lease != null) {
        lease.release();
      }
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
