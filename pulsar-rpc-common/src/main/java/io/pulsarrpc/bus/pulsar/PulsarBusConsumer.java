package io.pulsarrpc.bus.pulsar;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;

/** A {@link BusConsumer} that is one Pulsar consumer. Thread-safe, as the Pulsar consumer. */
final class PulsarBusConsumer<T> implements BusConsumer<T> {

  private final Consumer<T> consumer;
  private final String subscription;
  private final java.util.function.Consumer<Object> onClosed;

  PulsarBusConsumer(
      Consumer<T> consumer, String subscription, java.util.function.Consumer<Object> onClosed) {
    this.consumer = consumer;
    this.subscription = subscription;
    this.onClosed = onClosed;
  }

  @Override
  public String subscription() {
    return subscription;
  }

  /**
   * Pulsar's {@code receiveAsync()}. Fails with Pulsar's {@code AlreadyClosedException} when this
   * consumer or its bus is closed, including for receives that were waiting.
   */
  @Override
  public CompletableFuture<IncomingMessage<T>> receive() {
    return consumer
        .receiveAsync()
        .thenApply(message -> new PulsarIncomingMessage<>(message, consumer));
  }

  /** Pulsar's {@code Consumer.isConnected()}: false while it reconnects and once closed. */
  @Override
  public boolean isConnected() {
    return consumer.isConnected();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return consumer.closeAsync().whenComplete((ignored, error) -> onClosed.accept(this));
  }

  @Override
  public String toString() {
    return "PulsarBusConsumer[topic="
        + consumer.getTopic()
        + ", subscription="
        + subscription
        + "]";
  }
}
