package io.pulsarrpc.stream.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The receiving half of a stream's flow control: holds at most {@code window} messages received and
 * not yet taken, matches them with the application's waiting receives in order, and decides when to
 * acknowledge what was taken. Acknowledgements are coalesced: one is due at once when half the
 * window (at least one message) was taken since the last, otherwise the stream sends one a few
 * milliseconds after a take ({@link #ackToSend()} on its flush timer).
 *
 * <p>Invariants: {@code buffered <= window}; at most one of buffered messages and waiting receives
 * is non-empty; {@code acknowledged <= taken}.
 *
 * <p>Not thread-safe: its stream calls it under the stream's lock.
 */
final class ReceiveBuffer<R> {

  /** What offering a received message did. */
  enum Offered {
    /** Buffered, or matched with a waiting receive ({@link #matched()}). */
    TAKEN_OR_BUFFERED,
    /** The buffer was full: the peer sent beyond the window. */
    OVERFLOW
  }

  private final int window;
  private final int ackEvery;
  private final ArrayDeque<R> buffered = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<R>> receives = new ArrayDeque<>();
  private long taken;
  private long acknowledged;
  private CompletableFuture<R> matchedReceive;
  private R matchedMessage;

  ReceiveBuffer(int window) {
    this.window = window;
    this.ackEvery = Math.max(1, window / 2);
  }

  /**
   * A message arrived. When a receive waits, they are matched ({@link #matched()} returns the pair
   * until the next call); otherwise the message is buffered, or refused when the buffer is full.
   */
  Offered offer(R message) {
    matchedReceive = null;
    matchedMessage = null;
    if (!receives.isEmpty()) {
      taken++;
      matchedReceive = receives.poll();
      matchedMessage = message;
      return Offered.TAKEN_OR_BUFFERED;
    }
    if (buffered.size() >= window) {
      return Offered.OVERFLOW;
    }
    buffered.add(message);
    return Offered.TAKEN_OR_BUFFERED;
  }

  /** The receive the last {@link #offer} completed, or null. */
  CompletableFuture<R> matched() {
    return matchedReceive;
  }

  /** The message for {@link #matched()}. */
  R matchedMessage() {
    return matchedMessage;
  }

  /**
   * The application asks for a message: returns the next buffered one (taken), or null after
   * queueing {@code receive} for the next arrival.
   *
   * @param wait whether to queue the receive when nothing is buffered
   */
  R take(CompletableFuture<R> receive, boolean wait) {
    R message = buffered.poll();
    if (message != null) {
      taken++;
      return message;
    }
    if (wait) {
      receives.add(receive);
    }
    return null;
  }

  /** Puts a receive back at the head of the queue (its message was dropped on the way). */
  void requeueFirst(CompletableFuture<R> receive) {
    receives.addFirst(receive);
  }

  /** The sequence number to acknowledge at once, or 0 when no acknowledgement is due yet. */
  long ackDue() {
    return taken - acknowledged >= ackEvery ? markAcknowledged() : 0;
  }

  /** The sequence number to acknowledge when the flush timer fires, or 0 for nothing new. */
  long ackToSend() {
    return taken > acknowledged ? markAcknowledged() : 0;
  }

  private long markAcknowledged() {
    acknowledged = taken;
    return taken;
  }

  /** Whether something was taken and not acknowledged. */
  boolean ackPending() {
    return taken > acknowledged;
  }

  /** Removes the waiting receives and returns them, to fail. Buffered messages stay takeable. */
  List<CompletableFuture<R>> clearReceives() {
    List<CompletableFuture<R>> all = new ArrayList<>(receives);
    receives.clear();
    return all;
  }

  /** Messages received and not taken. */
  int buffered() {
    return buffered.size();
  }

  /** Receives waiting for a message. */
  int waitingReceives() {
    return receives.size();
  }
}
