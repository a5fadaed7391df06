package io.pulsarrpc.client;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.common.internal.UpdateHeaders;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Subscription}: pulls updates from its bus consumer into a bounded buffer, and hands
 * them from there to the listener on a listener thread.
 *
 * <p>Invariants, all under {@code lock}:
 *
 * <ul>
 *   <li>At most one receive is outstanding, so updates enter the buffer in the order the bus
 *       delivers them, whichever thread completes the receive.
 *   <li>The buffer holds at most {@code maxBuffered} updates. With {@link
 *       UpdateOverflow#BACK_PRESSURE} no receive is issued while it is full; with {@link
 *       UpdateOverflow#DROP_OLDEST} the oldest is dropped (and acknowledged) to make room.
 *   <li>At most one delivery task runs ({@code delivering}), so the listener sees one update at a
 *       time, in buffer order; it runs on the listener executor, never on the thread that completed
 *       a receive (a bus thread).
 *   <li>Once {@code closed}, nothing more enters the buffer or reaches the listener. The consumer
 *       is closed only after the delivery task ended and the acknowledgement of the last update
 *       handed over completed, so that an update is never both handed over and given back to the
 *       bus.
 * </ul>
 */
final class UpdateSubscription<U> implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(UpdateSubscription.class);

  private final BusConsumer<U> consumer;
  private final UpdateListener<U> listener;
  private final String topic;
  private final String queue;
  private final int maxBuffered;
  private final UpdateOverflow overflow;
  private final Executor listenerThreads;
  private final String description;
  private final Consumer<UpdateSubscription<U>> onClosed;

  private final Object lock = new Object();
  private final ArrayDeque<IncomingMessage<U>> buffer = new ArrayDeque<>();
  private boolean receiving;
  private boolean delivering;
  private boolean closed;

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile CompletableFuture<Void> lastAcknowledgement =
      CompletableFuture.completedFuture(null);
  private volatile Thread deliveringThread;

  UpdateSubscription(
      BusConsumer<U> consumer,
      UpdateListener<U> listener,
      SubscribeOptions options,
      Executor listenerThreads,
      String description,
      Consumer<UpdateSubscription<U>> onClosed) {
    this.consumer = consumer;
    this.listener = listener;
    this.topic = options.topic();
    this.queue = options.queue();
    this.maxBuffered = options.maxBufferedUpdates();
    this.overflow = options.overflow();
    this.listenerThreads = listenerThreads;
    this.description = description;
    this.onClosed = onClosed;
  }

  void start() {
    pull();
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public long droppedUpdates() {
    return dropped.get();
  }

  @Override
  public long listenerFailures() {
    return failures.get();
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** Updates taken from the bus and not yet handed to the listener; for tests. */
  int buffered() {
    synchronized (lock) {
      return buffer.size();
    }
  }

  /**
   * Issues receives while the buffer has room (or always, when dropping), one at a time. A receive
   * that completes at once is handled in this loop rather than in a callback, so that a bus with
   * many updates ready does not grow the stack.
   */
  private void pull() {
    while (true) {
      synchronized (lock) {
        if (closed
            || receiving
            || (overflow == UpdateOverflow.BACK_PRESSURE && buffer.size() >= maxBuffered)) {
          return;
        }
        receiving = true;
      }
      CompletableFuture<IncomingMessage<U>> next;
      try {
        next = consumer.receive();
      } catch (RuntimeException e) {
        next = CompletableFuture.failedFuture(e);
      }
      if (!next.isDone()) {
        next.whenComplete(
            (message, failure) -> {
              if (received(message, failure)) {
                pull();
              }
            });
        return;
      }
      IncomingMessage<U> message = null;
      Throwable failure = null;
      try {
        message = next.join();
      } catch (CompletionException | CancellationException e) {
        failure = e.getCause() != null ? e.getCause() : e;
      }
      if (!received(message, failure)) {
        return;
      }
    }
  }

  /** Buffers a received update; false when pulling must stop (closed, or the consumer failed). */
  private boolean received(IncomingMessage<U> message, Throwable failure) {
    IncomingMessage<U> droppedMessage = null;
    boolean startDelivery = false;
    synchronized (lock) {
      receiving = false;
      if (closed) {
        // Not handed over and not acknowledged: closing the consumer gives it back to the bus.
        return false;
      }
      if (failure != null || message == null) {
        log.error(
            "Receiving {} failed; the subscription takes no more updates", description, failure);
        return false;
      }
      buffer.addLast(message);
      if (buffer.size() > maxBuffered) {
        droppedMessage = buffer.pollFirst();
      }
      if (!delivering) {
        delivering = true;
        startDelivery = true;
      }
    }
    if (droppedMessage != null) {
      dropped.incrementAndGet();
      acknowledge(droppedMessage);
    }
    if (startDelivery) {
      try {
        listenerThreads.execute(this::deliver);
      } catch (RejectedExecutionException e) {
        boolean finishClose;
        synchronized (lock) {
          delivering = false;
          finishClose = closed;
        }
        log.debug("The listener threads of {} are shut down", description);
        if (finishClose) {
          closeConsumer();
        }
      }
    }
    return true;
  }

  /** The delivery task: hands buffered updates to the listener until the buffer is empty. */
  private void deliver() {
    deliveringThread = Thread.currentThread();
    boolean finishClose;
    try {
      while (true) {
        IncomingMessage<U> message;
        synchronized (lock) {
          message = closed ? null : buffer.pollFirst();
          if (message == null) {
            delivering = false;
            finishClose = closed;
            break;
          }
        }
        pull();
        handOver(message);
      }
    } finally {
      deliveringThread = null;
    }
    if (finishClose) {
      closeConsumer();
    }
  }

  private void handOver(IncomingMessage<U> message) {
    try {
      if (!UpdateHeaders.read(message.properties()).isUpdate()) {
        failures.incrementAndGet();
        log.warn(
            "A message of another kind ({}) on {} was dropped",
            UpdateHeaders.read(message.properties()).kind(),
            description);
      } else {
        listener.onUpdate(message.value());
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // An update that does not decode and a listener that throws are alike: logged, counted, and
      // acknowledged, so that one bad update never stops the others.
      failures.incrementAndGet();
      log.warn("The listener of {} failed on update {}", description, message.key(), e);
    }
    acknowledge(message);
  }

  private void acknowledge(IncomingMessage<U> message) {
    CompletableFuture<Void> acknowledged;
    try {
      acknowledged = message.acknowledge();
    } catch (RuntimeException e) {
      acknowledged = CompletableFuture.failedFuture(e);
    }
    lastAcknowledgement =
        acknowledged.exceptionally(
            failure -> {
              log.debug(
                  "Acknowledging update {} of {} failed", message.key(), description, failure);
              return null;
            });
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    boolean deliveryRunning;
    synchronized (lock) {
      if (closed) {
        return closeFuture;
      }
      closed = true;
      deliveryRunning = delivering;
    }
    if (!deliveryRunning) {
      closeConsumer();
    }
    // else the delivery task closes the consumer when the listener returns
    return closeFuture;
  }

  private void closeConsumer() {
    lastAcknowledgement
        .thenCompose(ignored -> consumer.closeAsync())
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                log.debug("Closing the consumer of {} failed", description, failure);
              }
              onClosed.accept(this);
              closeFuture.complete(null);
            });
  }

  @Override
  public void close() {
    CompletableFuture<Void> closing = closeAsync();
    if (Thread.currentThread() != deliveringThread) {
      BlockingCalls.await(closing);
    }
  }

  @Override
  public String toString() {
    return "Subscription[" + description + "]";
  }
}
