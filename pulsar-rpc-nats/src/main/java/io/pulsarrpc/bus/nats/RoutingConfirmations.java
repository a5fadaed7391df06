package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.pulsarrpc.bus.support.SharedTimer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells the core-NATS publishers of one bus, for each message, whether the NATS server routed it to
 * a subscriber. A send completes once it is known that the server took the message and had at least
 * one subscriber for it, and fails when it had none.
 *
 * <p>How: every message is published with a reply subject of its own under this bus's inbox ({@code
 * <inbox>.<n>}), so that the server answers a message without subscribers with a "no responders"
 * status (503) to that subject. Subscribers never answer. To learn that the other messages were
 * routed, this class publishes a <em>marker</em> to its own inbox ({@code <inbox>.m.<n>}): the
 * server handles one connection's messages in order and writes what it sends back in that order, so
 * when the marker arrives every 503 of the messages published before it has arrived too, and the
 * messages without one had subscribers. One marker is out at a time and covers every message
 * published before it, so under load a marker confirms a whole batch; it costs one small message
 * per batch instead of a receipt per message. A marker that does not come back within the operation
 * timeout (a lost connection) fails the messages it covers, saying they may or may not have been
 * delivered.
 *
 * <p>Thread-safe: {@link #publish} is called from any thread (it holds this object's lock while it
 * numbers and publishes, so numbers follow the connection's order); statuses and markers arrive on
 * this class's jnats dispatcher thread, which completes the futures (the producer hands them on to
 * the bus's completion pool); the check for lost markers runs on the {@link SharedTimer}.
 */
final class RoutingConfirmations {

  private static final int NO_RESPONDERS = 503;
  private static final String MARKER = "m.";

  private final Connection connection;
  private final Duration timeout;
  private final String inbox;
  private final Dispatcher dispatcher;
  private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private long published;
  private long markerOut = -1;
  private long markerSentNanos;
  private ScheduledFuture<?> markerCheck;
  private String closedReason;

  /** What became of one message; {@code noSubscriber} words the failure for its topic. */
  private record Pending(CompletableFuture<Void> routed, Supplier<Exception> noSubscriber) {}

  RoutingConfirmations(Connection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
    this.inbox = connection.createInbox() + ".";
    this.dispatcher = connection.createDispatcher(this::arrived);
    dispatcher.subscribe(inbox + ">");
    scheduleMarkerCheck();
  }

  /**
   * Publishes to {@code subject}; the future completes once the server routed the message to a
   * subscriber, and fails with {@code noSubscriber}'s exception when it had none, or with an {@link
   * IllegalStateException} when that is not known within the timeout or the bus closed.
   */
  CompletableFuture<Void> publish(
      String subject, Headers headers, byte[] body, Supplier<Exception> noSubscriber) {
    CompletableFuture<Void> routed = new CompletableFuture<>();
    synchronized (lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      long number = ++published;
      pending.put(number, new Pending(routed, noSubscriber));
      try {
        connection.publish(subject, inbox + number, headers, body);
      } catch (RuntimeException e) {
        pending.remove(number);
        throw e;
      }
      if (markerOut < 0) {
        sendMarker();
      }
    }
    return routed;
  }

  /** Fails what is still unconfirmed and unsubscribes. Idempotent. */
  void close(String reason) {
    synchronized (lock) {
      if (closedReason != null) {
        return;
      }
      closedReason = reason;
      markerCheck.cancel(false);
    }
    settleUpTo(Long.MAX_VALUE, new IllegalStateException(reason));
    try {
      connection.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      // The connection is closing too; nothing more will arrive.
    }
  }

  /** Messages whose routing is not known yet; for tests. */
  int unconfirmed() {
    return pending.size();
  }

  // Holds lock.
  private void sendMarker() {
    long covered = published;
    markerOut = covered;
    markerSentNanos = System.nanoTime();
    connection.publish(inbox + MARKER + covered, null);
  }

  /**
   * Looks for a lost marker a few times per timeout, rather than a timer per marker: at one call in
   * flight there is a marker per send, and a timer each would wake the timer thread every time.
   */
  private void scheduleMarkerCheck() {
    long period = Math.max(1, timeout.toMillis() / 4);
    synchronized (lock) {
      if (closedReason != null) {
        return;
      }
      markerCheck =
          SharedTimer.schedule(
              () -> {
                checkMarker();
                scheduleMarkerCheck();
              },
              period,
              TimeUnit.MILLISECONDS);
    }
  }

  private void checkMarker() {
    long covered;
    synchronized (lock) {
      if (markerOut < 0 || System.nanoTime() - markerSentNanos < timeout.toNanos()) {
        return;
      }
      covered = markerOut;
    }
    markerLost(covered);
  }

  private void arrived(Message message) {
    String subject = message.getSubject();
    if (!subject.startsWith(inbox)) {
      return;
    }
    String rest = subject.substring(inbox.length());
    if (rest.startsWith(MARKER)) {
      markerBack(parse(rest.substring(MARKER.length())));
      return;
    }
    if (message.isStatusMessage() && message.getStatus().getCode() == NO_RESPONDERS) {
      long number = parse(rest);
      Pending gone = number < 0 ? null : pending.remove(number);
      if (gone != null) {
        gone.routed().completeExceptionally(gone.noSubscriber().get());
      }
    }
  }

  private void markerBack(long covered) {
    if (endMarker(covered)) {
      // No 503 came for these before the marker: the server had subscribers for each.
      settleUpTo(covered, null);
    }
  }

  private void markerLost(long covered) {
    if (endMarker(covered)) {
      settleUpTo(
          covered,
          new IllegalStateException(
              "the NATS server did not confirm within "
                  + timeout.toMillis()
                  + " ms (operationTimeout) that it routed the message; it may or may not have"
                  + " been delivered"));
    }
  }

  /**
   * Ends the marker covering sends up to {@code covered}, sending the next one if sends came since;
   * false when that marker was ended already (came back after it was given up on, or the reverse).
   */
  private boolean endMarker(long covered) {
    synchronized (lock) {
      if (covered != markerOut) {
        return false;
      }
      markerOut = -1;
      if (closedReason == null && published > covered) {
        sendMarker();
      }
      return true;
    }
  }

  /**
   * Completes the sends up to {@code covered} still waiting: routed when {@code failure} is null.
   */
  private void settleUpTo(long covered, Exception failure) {
    for (Map.Entry<Long, Pending> entry;
        (entry = pending.firstEntry()) != null && entry.getKey() <= covered; ) {
      if (pending.remove(entry.getKey(), entry.getValue())) {
        if (failure == null) {
          entry.getValue().routed().complete(null);
        } else {
          entry.getValue().routed().completeExceptionally(failure);
        }
      }
    }
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
