package io.pulsarrpc.bus.pulsar;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.OutgoingMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.TypedMessageBuilder;

/** A {@link BusProducer} that is one Pulsar producer. Thread-safe, as the Pulsar producer. */
final class PulsarBusProducer<T> implements BusProducer<T> {

  private final Producer<T> producer;
  private final Consumer<Object> onClosed;

  PulsarBusProducer(Producer<T> producer, Consumer<Object> onClosed) {
    this.producer = producer;
    this.onClosed = onClosed;
  }

  @Override
  public String topic() {
    return producer.getTopic();
  }

  /**
   * Sends with Pulsar's {@code sendAsync()}: key, value, properties, {@code deliverAt} when set,
   * then the message config through {@link TypedMessageBuilder#loadConf}. A config that Pulsar
   * refuses throws {@link IllegalArgumentException}; a value the schema cannot encode, a closed
   * producer or a broker error fail the future.
   */
  @Override
  public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
    TypedMessageBuilder<T> builder = producer.newMessage();
    if (message.key() != null) {
      builder.key(message.key());
    }
    builder.value(message.value());
    if (!message.properties().isEmpty()) {
      builder.properties(message.properties());
    }
    if (message.deliverAt() > 0) {
      // Safe with batching on: the Pulsar client never puts a message with a delivery time into a
      // batch (one time would then hold for all). It flushes the open batch and sends the delayed
      // message in an entry of its own, keeping order; PulsarMessageBusIT checks this.
      builder.deliverAt(message.deliverAt());
    }
    if (!message.config().isEmpty()) {
      PulsarMessageBus.loadConf(
          () -> builder.loadConf(message.config()), "message", message.config());
    }
    try {
      return builder.sendAsync();
    } catch (RuntimeException e) {
      // The schema encodes the value inside sendAsync() and throws when it cannot.
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Pulsar's {@code Producer.isConnected()}: false while it reconnects and once closed. */
  @Override
  public boolean isConnected() {
    return producer.isConnected();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return producer.closeAsync().whenComplete((ignored, error) -> onClosed.accept(this));
  }

  @Override
  public String toString() {
    return "PulsarBusProducer[topic=" + producer.getTopic() + "]";
  }
}
