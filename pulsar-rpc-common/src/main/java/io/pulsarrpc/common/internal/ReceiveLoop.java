package io.pulsarrpc.common.internal;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls messages from a {@link BusConsumer} and hands each to a handler, with at most {@code limit}
 * messages taken and not yet {@linkplain Handler released} at any time. At the limit it stops
 * pulling, which is the back-pressure of the RPC server: messages stay in the bus for this or
 * another consumer. Not API.
 *
 * <p>The handler runs on whichever thread completes the bus's receive future (or the thread that
 * released a permit), never concurrently with itself for one message; it must not block. A receive
 * that completes inline is handled in a loop rather than by recursion, so a full queue does not
 * grow the stack.
 */
public final class ReceiveLoop<T> {

  /** Handles one message; must call {@code release} exactly once when done with it. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(IncomingMessage<T> message, Runnable release);
  }

  private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);

  private final BusConsumer<T> consumer;
  private final Handler<T> handler;
  private final int limit;
  private final String description;
  private final AtomicInteger taken = new AtomicInteger();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean stopped;

  /**
   * @param limit the most messages taken and not released at once, at least 1
   * @param description names the loop in logs, e.g. "replies of client X"
   */
  public ReceiveLoop(BusConsumer<T> consumer, Handler<T> handler, int limit, String description) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.consumer = consumer;
    this.handler = handler;
    this.limit = limit;
    this.description = description;
  }

  /** Starts pulling. */
  public void start() {
    pump();
  }

  /**
   * Stops pulling. Receives already issued may still complete; their messages go to the handler
   * unless {@code stopped} is checked there.
   */
  public void stop() {
    stopped = true;
  }

  /** Whether {@link #stop()} was called. */
  public boolean isStopped() {
    return stopped;
  }

  /** Messages taken from the bus and not yet released, including receives in progress. */
  public int taken() {
    return taken.get();
  }

  private void pump() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    while (true) {
      while (!stopped && taken.get() < limit) {
        taken.incrementAndGet();
        CompletableFuture<IncomingMessage<T>> next;
        try {
          next = consumer.receive();
        } catch (RuntimeException e) {
          taken.decrementAndGet();
          onReceiveFailure(e);
          break;
        }
        if (next.isDone()) {
          // Handled here instead of in a callback: the loop, not the stack, absorbs a full queue.
          dispatch(next.getNow(null), failureOf(next));
        } else {
          next.whenComplete(
              (message, failure) -> {
                dispatch(message, failure);
                pump();
              });
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void dispatch(IncomingMessage<T> message, Throwable failure) {
    if (failure != null || message == null) {
      taken.decrementAndGet();
      onReceiveFailure(failure);
      return;
    }
    Release release = new Release();
    try {
      handler.handle(message, release);
    } catch (RuntimeException e) {
      log.error("Handler of {} failed on a message; it will be redelivered", description, e);
      message.negativeAcknowledge();
      release.run();
    }
  }

  private void onReceiveFailure(Throwable failure) {
    if (stopped) {
      return;
    }
    // The consumer is closed or broken: pulling again would spin. The owner closes or rebuilds.
    stopped = true;
    log.error("Receiving {} failed; no more messages will be taken", description, failure);
  }

  private static Throwable failureOf(CompletableFuture<?> done) {
    try {
      done.join();
      return null;
    } catch (RuntimeException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  /** Gives back one permit, once; later calls do nothing. */
  private final class Release implements Runnable {
    private final java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        taken.decrementAndGet();
        pump();
      }
    }
  }
}
