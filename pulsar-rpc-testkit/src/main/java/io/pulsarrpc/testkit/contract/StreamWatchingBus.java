package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.common.WireProperties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.MessageId;

/**
 * A bus that also counts, for the streams suite, the consumers made through it and not yet closed,
 * and the stream data frames sent through it, so that a test sees what a stream client or server
 * holds and how much it has in flight. Thread-safe.
 */
final class StreamWatchingBus extends ProducerCountingBus {

  private final AtomicInteger openConsumers = new AtomicInteger();
  private final AtomicInteger dataFrames = new AtomicInteger();

  StreamWatchingBus(MessageBus bus) {
    super(bus);
  }

  /** Consumers subscribed through this bus whose close has not started. */
  int openConsumers() {
    return openConsumers.get();
  }

  /** Stream data frames sent through this bus. */
  int dataFramesSent() {
    return dataFrames.get();
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return super.createProducer(spec).thenApply(FrameCounting::new);
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return super.subscribe(spec)
        .thenApply(
            consumer -> {
              openConsumers.incrementAndGet();
              return new CountedConsumer<>(consumer);
            });
  }

  private final class FrameCounting<T> extends ForwardingProducer<T> {

    FrameCounting(BusProducer<T> producer) {
      super(producer);
    }

    @Override
    public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
      if ("data".equals(message.properties().get(WireProperties.FRAME))) {
        dataFrames.incrementAndGet();
      }
      return super.send(message);
    }
  }

  private final class CountedConsumer<T> extends ForwardingConsumer<T> {

    private final AtomicBoolean closed = new AtomicBoolean();

    CountedConsumer(BusConsumer<T> consumer) {
      super(consumer);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      if (closed.compareAndSet(false, true)) {
        openConsumers.decrementAndGet();
      }
      return super.closeAsync();
    }
  }
}
