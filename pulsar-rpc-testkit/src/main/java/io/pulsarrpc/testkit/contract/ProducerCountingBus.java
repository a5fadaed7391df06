package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.MessageId;

/**
 * A bus that counts the producers created through it and not yet closed, so that a suite can see a
 * component's producers from outside it. Everything else goes to the bus it wraps, which it never
 * closes. Thread-safe.
 */
final class ProducerCountingBus implements MessageBus {

  private final MessageBus bus;
  private final AtomicInteger open = new AtomicInteger();

  ProducerCountingBus(MessageBus bus) {
    this.bus = bus;
  }

  /** Producers created through this bus whose close has not started. */
  int openProducers() {
    return open.get();
  }

  @Override
  public String name() {
    return bus.name();
  }

  @Override
  public boolean supportsDelayedDelivery() {
    return bus.supportsDelayedDelivery();
  }

  @Override
  public boolean supportsTopicPatterns() {
    return bus.supportsTopicPatterns();
  }

  @Override
  public boolean isDurable() {
    return bus.isDurable();
  }

  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    bus.checkProducerConfig(config);
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return bus.createProducer(spec)
        .thenApply(
            producer -> {
              open.incrementAndGet();
              return new Counted<>(producer);
            });
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return bus.subscribe(spec);
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    // The wrapped bus belongs to the suite's subclass.
    return CompletableFuture.completedFuture(null);
  }

  private final class Counted<T> implements BusProducer<T> {

    private final BusProducer<T> producer;
    private final AtomicBoolean closed = new AtomicBoolean();

    Counted(BusProducer<T> producer) {
      this.producer = producer;
    }

    @Override
    public String topic() {
      return producer.topic();
    }

    @Override
    public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
      return producer.send(message);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      if (closed.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
      return producer.closeAsync();
    }
  }
}
