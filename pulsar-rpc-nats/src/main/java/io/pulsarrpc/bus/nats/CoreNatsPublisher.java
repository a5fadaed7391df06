package io.pulsarrpc.bus.nats;

import io.nats.client.impl.NatsMessage;
import io.pulsarrpc.bus.NoSubscribersException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes one topic's messages on core NATS. A send completes once the server routed the message
 * to a subscriber and fails at once when none listens (NATS's "no responders"), as {@link
 * RoutingConfirmations} finds out for the whole bus. Thread-safe.
 */
final class CoreNatsPublisher implements NatsBusProducer.Publisher {

  private final RoutingConfirmations confirmations;
  private final String topic;
  private final AtomicLong sequence = new AtomicLong();

  CoreNatsPublisher(RoutingConfirmations confirmations, String topic) {
    this.confirmations = confirmations;
    this.topic = topic;
  }

  @Override
  public CompletableFuture<Long> publish(NatsMessage message) {
    long number = sequence.incrementAndGet();
    return confirmations
        .publish(message.getSubject(), message.getHeaders(), message.getData(), this::noSubscriber)
        .thenApply(routed -> number);
  }

  private NoSubscribersException noSubscriber() {
    return new NoSubscribersException(
        "no subscriber on topic '"
            + topic
            + "': the NATS server reported no responders, so the message was not delivered"
            + " (core NATS keeps nothing for a subscriber that comes later)");
  }
}
