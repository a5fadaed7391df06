package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A bus for tests that must fail before touching any bus: every operation is an error. */
final class UnusableBus implements MessageBus {

  @Override
  public String name() {
    return "unusable";
  }

  @Override
  public boolean supportsDelayedDelivery() {
    return false;
  }

  @Override
  public boolean supportsTopicPatterns() {
    return true;
  }

  @Override
  public boolean isDurable() {
    return true;
  }

  @Override
  public void checkProducerConfig(Map<String, Object> config) {
    throw new AssertionError("validation should have failed before checking producer settings");
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    throw new AssertionError("validation should have failed before creating a producer");
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    throw new AssertionError("validation should have failed before subscribing");
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return CompletableFuture.completedFuture(null);
  }
}
