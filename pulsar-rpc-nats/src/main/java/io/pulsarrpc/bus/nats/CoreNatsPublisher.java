package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes on core NATS as a request that the receiving {@link CoreNatsConsumer} confirms on
 * arrival, so that a send completes once a subscriber has the message, and fails at once when no
 * subscriber listens: the NATS server answers such a request with "no responders" (status 503),
 * which jnats reports by cancelling the request. Thread-safe.
 */
final class CoreNatsPublisher implements NatsBusProducer.Publisher {

  private static final int NO_RESPONDERS = 503;

  private final Connection connection;
  private final Duration timeout;
  private final String topic;
  private final AtomicLong sequence = new AtomicLong();

  CoreNatsPublisher(Connection connection, Duration timeout, String topic) {
    this.connection = connection;
    this.timeout = timeout;
    this.topic = topic;
  }

  @Override
  public CompletableFuture<Long> publish(NatsMessage message) {
    long number = sequence.incrementAndGet();
    return connection
        .requestWithTimeout(message, timeout)
        .handle(
            (receipt, error) -> {
              if (error == null && !isNoResponders(receipt)) {
                return number;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause == null || cause instanceof CancellationException) {
                throw new CompletionException(noSubscriber());
              }
              throw new CompletionException(
                  new IllegalStateException(
                      "no subscriber of topic '"
                          + topic
                          + "' confirmed the message within "
                          + timeout.toMillis()
                          + " ms (operationTimeout); it may or may not have been received: "
                          + cause,
                      cause));
            });
  }

  private IllegalStateException noSubscriber() {
    return new IllegalStateException(
        "no subscriber on topic '"
            + topic
            + "': the NATS server reported no responders, so the message was not delivered"
            + " (core NATS keeps nothing for a subscriber that comes later)");
  }

  private static boolean isNoResponders(Message receipt) {
    return receipt != null
        && receipt.isStatusMessage()
        && receipt.getStatus().getCode() == NO_RESPONDERS;
  }
}
