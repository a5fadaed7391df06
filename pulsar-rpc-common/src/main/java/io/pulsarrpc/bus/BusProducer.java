package io.pulsarrpc.bus;

import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;

/** Publishes messages to one topic. Thread-safe. */
public interface BusProducer<T> {

  /** The topic this producer publishes to. */
  String topic();

  /**
   * Publishes one message. The future completes with the message's id once the bus has stored it
   * (for Pulsar, the broker's {@link MessageId}; for other buses a {@link BusMessageId}), or fails
   * with the bus's error. A message with {@link OutgoingMessage#deliverAt()} set fails with {@link
   * UnsupportedOperationException} on a bus that cannot delay delivery.
   */
  CompletableFuture<MessageId> send(OutgoingMessage<T> message);

  /**
   * Whether the bus accepts messages from this producer now: true while it is open and its
   * connection to the broker is up; false while it reconnects and after close. A cheap read of
   * state the adapter already keeps (no I/O, no lock the send path takes), callable from any
   * thread; by the time the caller looks at it, it may have changed.
   */
  boolean isConnected();

  /** Closes this producer. Idempotent. */
  CompletableFuture<Void> closeAsync();
}
