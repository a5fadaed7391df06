package io.pulsarrpc.server;

import io.pulsarrpc.inspect.ServerInspection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

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
 * is raised before the flag is read, and the flag is set before the count is read. A hand-off to
 * the bus and {@link #kill()} exclude each other (a read-write lock, the hand-offs sharing it), so
 * that when {@code kill()} returns no hand-off is under way and none will start.
 *
 * <p>For introspection it also keeps the calls themselves in a concurrent set ({@link #track},
 * {@link #untrack}) and counts their outcomes; {@link #snapshot()} copies both without a lock, so
 * an inspection never slows the receive path down beyond a set insert and removal per call.
 *
 * <p>Threads: {@link #tryBegin()} runs on the receive path, {@link #end()} on whatever thread
 * settles a call (handler threads, the bus's completion threads, the timer); {@link #drain()} on
 * the thread that closes the server. Thread-safe.
 */
final class InFlightCalls {

  private final String subscription;
  private final AtomicInteger count = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final ReentrantReadWriteLock busGate = new ReentrantReadWriteLock();
  private final Set<InFlightCall<?>> open = ConcurrentHashMap.newKeySet();
  private final LongAdder served = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private volatile boolean draining;
  private volatile boolean killed;

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

  /**
   * Stops the calls at once: no call begins, and from when this returns none hands anything to the
   * bus — not an acknowledgement, not a reply — so that the requests in flight stay unacknowledged
   * for another server. Waits for hand-offs under way (they do not block), except one of the
   * calling thread itself, which it cannot wait for.
   */
  void kill() {
    draining = true;
    if (busGate.getReadHoldCount() > 0) {
      // Called from inside a hand-off (a bus that delivers inline): waiting would never end.
      killed = true;
      return;
    }
    busGate.writeLock().lock();
    try {
      killed = true;
    } finally {
      busGate.writeLock().unlock();
    }
  }

  /** Whether {@link #kill()} was called. */
  boolean isKilled() {
    return killed;
  }

  /**
   * Runs {@code handOff}, which gives the bus an acknowledgement or a reply and must not block,
   * unless the server was killed.
   *
   * @return the hand-off's future, or, once killed, a future failed with {@link
   *     IllegalStateException} without running it
   */
  <R> CompletableFuture<R> handOff(Supplier<CompletableFuture<R>> handOff) {
    busGate.readLock().lock();
    try {
      if (killed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("server " + subscription + " was killed"));
      }
      return handOff.get();
    } finally {
      busGate.readLock().unlock();
    }
  }

  /** Calls begun and not yet settled. */
  int count() {
    return count.get();
  }

  /** Adds a call that began to the calls an inspection lists. */
  void track(InFlightCall<?> call) {
    open.add(call);
  }

  /** Removes a settled call from the calls an inspection lists. */
  void untrack(InFlightCall<?> call) {
    open.remove(call);
  }

  /** Counts a call the handler answered: with a reply, or with an error. */
  void countAnswered(boolean success) {
    (success ? served : failed).increment();
  }

  /** Counts a request refused before the handler ran. */
  void countRejected() {
    rejected.increment();
  }

  /** The counters, read one by one. */
  ServerInspection.CallCounters counters() {
    return new ServerInspection.CallCounters(
        served.sum(), failed.sum(), rejected.sum(), count.get());
  }

  /** The calls in flight, oldest first; a weakly consistent copy. */
  List<ServerInspection.InFlightCall> snapshot() {
    return open.stream()
        .map(InFlightCall::inspect)
        .sorted(Comparator.comparingLong(ServerInspection.InFlightCall::receivedAtMillis))
        .toList();
  }
}
