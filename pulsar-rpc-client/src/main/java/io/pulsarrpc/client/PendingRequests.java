package io.pulsarrpc.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The calls a client waits on, by correlation id, with a bound on how many. Thread-safe. */
final class PendingRequests<V> {

  /** One call: its future and the timer that fails it at its deadline. */
  static final class Call<V> {
    final String correlationId;
    final CompletableFuture<V> future;
    volatile ScheduledFuture<?> deadlineTimer;

    Call(String correlationId, CompletableFuture<V> future) {
      this.correlationId = correlationId;
      this.future = future;
    }

    void cancelDeadlineTimer() {
      ScheduledFuture<?> timer = deadlineTimer;
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  enum AddResult {
    ADDED,
    DUPLICATE,
    FULL
  }

  private final ConcurrentHashMap<String, Call<V>> calls = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int bound;

  PendingRequests(int bound) {
    this.bound = bound;
  }

  AddResult add(Call<V> call) {
    if (size.incrementAndGet() > bound) {
      size.decrementAndGet();
      return AddResult.FULL;
    }
    Call<V> existing = calls.putIfAbsent(call.correlationId, call);
    // A completed call leaves the table in a moment; its id is free for a new call already.
    while (existing != null) {
      if (!existing.future.isDone()) {
        size.decrementAndGet();
        return AddResult.DUPLICATE;
      }
      if (calls.replace(call.correlationId, existing, call)) {
        size.decrementAndGet();
        return AddResult.ADDED;
      }
      existing = calls.putIfAbsent(call.correlationId, call);
    }
    return AddResult.ADDED;
  }

  Call<V> get(String correlationId) {
    return calls.get(correlationId);
  }

  /** Removes this very call (not a newer one with the same id); true when it was pending. */
  boolean remove(Call<V> call) {
    if (calls.remove(call.correlationId, call)) {
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  /** Removes whatever call has this id, or returns null. */
  Call<V> remove(String correlationId) {
    Call<V> call = calls.remove(correlationId);
    if (call != null) {
      size.decrementAndGet();
    }
    return call;
  }

  /** Removes and returns every call. */
  List<Call<V>> drain() {
    List<Call<V>> drained = List.copyOf(calls.values());
    drained.forEach(this::remove);
    return drained;
  }

  int size() {
    return size.get();
  }
}
