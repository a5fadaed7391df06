package io.pulsarrpc.client;

import io.pulsarrpc.inspect.ClientInspection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls a client waits on, by correlation id, with a bound on how many. At most one call that
 * is not done has a given id; a done call that has not left yet gives its id up to a new call.
 * Thread-safe; every method is non-blocking.
 */
final class PendingRequests<V> {

  enum AddResult {
    ADDED,
    DUPLICATE,
    FULL
  }

  private final ConcurrentHashMap<String, PendingCall<V>> calls = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int bound;

  PendingRequests(int bound) {
    this.bound = bound;
  }

  AddResult add(PendingCall<V> call) {
    if (size.incrementAndGet() > bound) {
      size.decrementAndGet();
      return AddResult.FULL;
    }
    PendingCall<V> existing = calls.putIfAbsent(call.correlationId, call);
    // A completed call leaves the table in a moment; its id is free for a new call already.
    while (existing != null) {
      if (!existing.isDone()) {
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

  PendingCall<V> get(String correlationId) {
    return calls.get(correlationId);
  }

  /** Removes this very call (not a newer one with the same id); true when it was pending. */
  boolean remove(PendingCall<V> call) {
    if (calls.remove(call.correlationId, call)) {
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  /** Removes whatever call has this id, or returns null. */
  PendingCall<V> remove(String correlationId) {
    PendingCall<V> call = calls.remove(correlationId);
    if (call != null) {
      size.decrementAndGet();
    }
    return call;
  }

  /** Removes and returns every call. */
  List<PendingCall<V>> drain() {
    List<PendingCall<V>> drained = List.copyOf(calls.values());
    drained.forEach(this::remove);
    return drained;
  }

  /** The calls pending, oldest first: a weakly consistent copy, taken without a lock. */
  List<ClientInspection.PendingCall> snapshot() {
    return calls.values().stream()
        .map(PendingCall::inspect)
        .sorted(Comparator.comparingLong(ClientInspection.PendingCall::startedAtMillis))
        .toList();
  }

  int size() {
    return size.get();
  }
}
