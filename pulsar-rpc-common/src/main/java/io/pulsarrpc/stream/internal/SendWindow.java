package io.pulsarrpc.stream.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sending half of a stream's flow control: numbers messages 1, 2, ... in the order they are
 * offered, lets at most {@code window} of them be in flight (sent and not acknowledged), keeps the
 * others waiting, unsent, until acknowledgements make room, and completes each message's future
 * when the peer acknowledges it.
 *
 * <p>Invariants: {@code acknowledged <= sent <= offered}; {@code sent - acknowledged <= window};
 * messages leave in sequence order. Memory is the in-flight window plus the waiting offers, which
 * their callers hold futures for.
 *
 * <p>Not thread-safe: its stream calls it under the stream's lock.
 */
final class SendWindow {

  /** A message the window lets go now. */
  record Release(long sequence, byte[] data) {}

  private record Offer(long sequence, byte[] data, CompletableFuture<Void> acknowledged) {}

  private final int window;
  private final ArrayDeque<Offer> inFlight = new ArrayDeque<>();
  private final ArrayDeque<Offer> waiting = new ArrayDeque<>();
  private long lastOffered;
  private long lastAcknowledged;

  /**
   * @param window the most messages in flight, at least 1
   */
  SendWindow(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
  }

  /**
   * Takes a message; returns it numbered when it may be sent now, or null when it waits for room.
   */
  Release offer(byte[] data, CompletableFuture<Void> acknowledged) {
    Offer offer = new Offer(++lastOffered, data, acknowledged);
    if (inFlight.size() < window && waiting.isEmpty()) {
      inFlight.add(offer);
      return new Release(offer.sequence, data);
    }
    waiting.add(offer);
    return null;
  }

  /** What an acknowledgement did. */
  record Acknowledged(List<CompletableFuture<Void>> completed, List<Release> released) {}

  /**
   * The peer took every message up to {@code sequence}: their futures are returned to complete, and
   * the waiting messages that now fit are returned to send, in order.
   *
   * @return null when {@code sequence} is beyond what was sent: the peer broke the protocol
   */
  Acknowledged acknowledge(long sequence) {
    if (sequence > lastSent()) {
      return null;
    }
    List<CompletableFuture<Void>> completed = new ArrayList<>();
    while (!inFlight.isEmpty() && inFlight.peek().sequence <= sequence) {
      completed.add(inFlight.poll().acknowledged);
    }
    lastAcknowledged = Math.max(lastAcknowledged, sequence);
    List<Release> released = new ArrayList<>();
    while (inFlight.size() < window && !waiting.isEmpty()) {
      Offer offer = waiting.poll();
      inFlight.add(offer);
      released.add(new Release(offer.sequence, offer.data));
    }
    return new Acknowledged(completed, released);
  }

  /** Removes every message not yet acknowledged and returns their futures, to fail. */
  List<CompletableFuture<Void>> clear() {
    List<CompletableFuture<Void>> all = new ArrayList<>(inFlight.size() + waiting.size());
    inFlight.forEach(offer -> all.add(offer.acknowledged));
    waiting.forEach(offer -> all.add(offer.acknowledged));
    inFlight.clear();
    waiting.clear();
    return all;
  }

  /** Messages sent and not acknowledged. */
  int inFlight() {
    return inFlight.size();
  }

  /** Messages waiting for room, not sent. */
  int waiting() {
    return waiting.size();
  }

  /** The highest sequence number acknowledged. */
  long lastAcknowledged() {
    return lastAcknowledged;
  }

  private long lastSent() {
    return inFlight.isEmpty() ? lastAcknowledged : inFlight.peekLast().sequence;
  }
}
