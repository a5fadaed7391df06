package io.pulsarrpc.bus;

import java.util.concurrent.CompletableFuture;

/**
 * Messages of one subscription, pulled one at a time: a caller that stops calling {@link
 * #receive()} stops taking messages, which is how the RPC server applies back-pressure.
 * Thread-safe.
 */
public interface BusConsumer<T> {

  /** The subscription's name. */
  String subscription();

  /**
   * The next message. Completes when one is available; fails when the consumer or its bus is
   * closed. Several calls may be outstanding; each gets a different message.
   */
  CompletableFuture<IncomingMessage<T>> receive();

  /**
   * Whether the bus can deliver to this consumer now: true while it is open and its connection to
   * the broker is up; false while it reconnects and after close. A cheap read of state the adapter
   * already keeps (no I/O, no lock the delivery path takes), callable from any thread; by the time
   * the caller looks at it, it may have changed.
   */
  boolean isConnected();

  /**
   * Closes this consumer; its unacknowledged messages go to other consumers of the subscription. A
   * {@linkplain SubscriptionLifetime#TEMPORARY temporary} subscription is removed instead, with
   * every message it still held.
   */
  CompletableFuture<Void> closeAsync();
}
