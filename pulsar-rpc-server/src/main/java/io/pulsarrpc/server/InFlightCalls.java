package io.pulsarrpc.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls of one server between receipt and settlement: how many there are, and whether the
 * server still takes new ones. {@link ServerEngine#closeAsync()} waits on {@link #drain()} before
 * it closes the consumer, so that the acknowledgements of the calls it let finish reach the bus
 * first.
 *
 * <p>Invariants: the count goes up in {@link #tryBegin()} and down in {@link #end()}, once per call
 * ({@link InFlightCall} guards that); once {@link #drain()} was called no call begins, and the
 * drained future completes when the count reaches zero. A call that races the start of the drain
 * either sees it and does not begin, or is counted before the drain looks at the count: the count
 * is raised before the flag is read, and the flag is set before the count is read.
 *
 * <p>Threads: {@link #tryBegin()} runs on the receive path, {@link #end()} on whatever thread
 * settles a call (handler threads, the bus's completion threads, the timer); {@link #drain()} on
 * the thread that closes the server. Thread-safe.
 */
final class InFlightCalls {

  private final String subscription;
  private final AtomicInteger count = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean draining;

  InFlightCalls(String subscription) {
    this.subscription = subscription;
  }

  /** The subscription of the server the calls belong to; for logs. */
  String subscription() {
    return subscription;
  }

  /**
   * Counts a new call, unless the server stopped taking calls.
   *
   * @return whether the call may go on; when false it was not counted
   */
  boolean tryBegin() {
    count.incrementAndGet();
    if (draining) {
      end();
      return false;
    }
    return true;
  }

  /** Counts a call as settled. */
  void end() {
    if (count.decrementAndGet() == 0 && draining) {
      drained.complete(null);
    }
  }

  /** Whether the server stopped taking calls. */
  boolean isDraining() {
    return draining;
  }

  /** Stops taking calls; the future completes once every call begun has settled. */
  CompletableFuture<Void> drain() {
    draining = true;
    if (count.get() == 0) {
      drained.complete(null);
    }
    return drained;
  }

  /** Calls begun and not yet settled. */
  int count() {
    return count.get();
  }
}
