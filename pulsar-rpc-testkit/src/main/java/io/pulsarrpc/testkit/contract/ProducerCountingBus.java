package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.ProducerSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bus that counts the producers created through it and not yet closed, so that a suite can see a
 * component's producers from outside it. Everything else goes to the bus it wraps, which it never
 * closes. Thread-safe.
 */
class ProducerCountingBus extends ForwardingBus {

  private final AtomicInteger open = new AtomicInteger();

  ProducerCountingBus(MessageBus bus) {
    super(bus);
  }

  /** Producers created through this bus whose close has not started. */
  int openProducers() {
    return open.get();
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return super.createProducer(spec)
        .thenApply(
            producer -> {
              open.incrementAndGet();
              return new Counted<>(producer);
            });
  }

  private final class Counted<T> extends ForwardingProducer<T> {

    private final AtomicBoolean closed = new AtomicBoolean();

    Counted(BusProducer<T> producer) {
      super(producer);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      if (closed.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
      return super.closeAsync();
    }
  }
}
