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

  /** Closes this producer. Idempotent. */
  CompletableFuture<Void> closeAsync();
}
