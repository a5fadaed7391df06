package io.pulsarrpc.bus.nats;

import io.nats.client.Connection;
import io.nats.client.impl.NatsMessage;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.MessageSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;

/**
 * Publishes to the subject of one topic: with JetStream's asynchronous publish, or on core NATS
 * with a reply subject for the server's "no responders" status. Thread-safe.
 *
 * <p>The value is encoded with the producer's schema into the body. On JetStream key, properties
 * and delivery time go into headers as {@link MessageHeaders} describes; on core NATS key,
 * properties and publish time go into an envelope at the head of the body, as {@link CoreEnvelope}
 * describes. The future completes, on a bus thread, with a {@link BusMessageId} of the stream
 * sequence once the server stored the message (on core NATS: of the producer's own count of
 * messages, once the server routed it to a subscriber).
 */
final class NatsBusProducer<T> implements BusProducer<T> {

  /** Hands one message to NATS; the future completes with its sequence once it was taken. */
  @FunctionalInterface
  interface Publisher {
    CompletableFuture<Long> publish(NatsMessage message);
  }

  private final String topic;
  private final String subject;
  private final Schema<T> schema;
  private final Publisher publisher;
  private final Connection connection;
  private final Duration maxAge;
  private final Executor callbacks;
  private final Consumer<NatsBusProducer<?>> onClosed;
  private final AtomicReference<String> closedReason = new AtomicReference<>();

  /**
   * @param connection the connection {@code publisher} publishes on
   * @param maxAge how long the topic's stream keeps a message; zero for no limit; null when the bus
   *     has no delayed delivery (core NATS)
   */
  NatsBusProducer(
      String topic,
      Schema<T> schema,
      Publisher publisher,
      Connection connection,
      Duration maxAge,
      Executor callbacks,
      Consumer<NatsBusProducer<?>> onClosed) {
    this.topic = topic;
    this.subject = NatsNames.subject(topic);
    this.schema = schema;
    this.publisher = publisher;
    this.connection = connection;
    this.maxAge = maxAge;
    this.callbacks = callbacks;
    this.onClosed = onClosed;
  }

  @Override
  public String topic() {
    return topic;
  }

  /**
   * Publishes the message. Fails the future with the schema's exception when the value does not
   * encode, with an {@link IllegalStateException} once the producer or bus is closed, and with
   * jnats's exception when the server does not store the message (for example a full stream).
   *
   * @throws IllegalArgumentException when {@code message} is null, its config is refused (see
   *     {@link NatsMessageBus}), or it asks for a delivery time further away than the stream keeps
   *     messages
   */
  @Override
  public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
    long now = System.currentTimeMillis();
    MessageSettings settings = MessageSettings.resolve(message, now, "nats");
    if (settings.deliverAt() > 0 && maxAge == null) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException(
              "the nats bus in core mode has no delayed delivery (supportsDelayedDelivery() is"
                  + " false), so the message to topic '"
                  + topic
                  + "' with deliverAt "
                  + settings.deliverAt()
                  + " was not sent; build the bus with mode(NatsMode.JETSTREAM) for scheduled"
                  + " messages"));
    }
    if (settings.deliverAt() > 0
        && !maxAge.isZero()
        && settings.deliverAt() - now >= maxAge.toMillis()) {
      throw new IllegalArgumentException(
          "deliverAt "
              + settings.deliverAt()
              + " is "
              + (settings.deliverAt() - now)
              + " ms away, but the NATS stream of topic '"
              + topic
              + "' keeps a message for only "
              + maxAge.toMillis()
              + " ms (maxAge): it would be deleted before its time");
    }
    String closed = closedReason.get();
    if (closed != null) {
      return CompletableFuture.failedFuture(new IllegalStateException(closed));
    }
    boolean nullValue = message.value() == null;
    byte[] body;
    try {
      body = nullValue ? new byte[0] : schema.encode(message.value());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    NatsMessage natsMessage;
    if (maxAge == null) {
      natsMessage =
          NatsMessage.builder()
              .subject(subject)
              .data(CoreEnvelope.write(settings.key(), settings.properties(), now, nullValue, body))
              .build();
    } else {
      natsMessage =
          NatsMessage.builder()
              .subject(subject)
              .headers(
                  MessageHeaders.write(
                      settings.key(), settings.properties(), settings.deliverAt(), nullValue))
              .data(body)
              .build();
    }
    CompletableFuture<Long> stored;
    try {
      stored = publisher.publish(natsMessage);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<MessageId> result = new CompletableFuture<>();
    // Not on the jnats thread that completed the publish: a callback that blocks there would stop
    // every other publish and request of the connection.
    stored.whenCompleteAsync(
        (sequence, error) -> {
          if (error != null) {
            result.completeExceptionally(Failures.unwrapped(error));
          } else {
            result.complete(new BusMessageId(topic, String.valueOf(sequence), sequence));
          }
        },
        callbacks);
    return result;
  }

  /** True while the producer is open and its NATS connection's status is {@code CONNECTED}. */
  @Override
  public boolean isConnected() {
    return closedReason.get() == null && connection.getStatus() == Connection.Status.CONNECTED;
  }

  /** Refuses later sends; sends already made still complete. Idempotent. */
  @Override
  public CompletableFuture<Void> closeAsync() {
    close("producer of topic '" + topic + "' closed");
    return CompletableFuture.completedFuture(null);
  }

  /** Closes with {@code reason} as the message of later sends' failures. */
  void close(String reason) {
    if (closedReason.compareAndSet(null, reason)) {
      onClosed.accept(this);
    }
  }

  @Override
  public String toString() {
    return "NatsBusProducer[topic=" + topic + ", subject=" + subject + "]";
  }
}
