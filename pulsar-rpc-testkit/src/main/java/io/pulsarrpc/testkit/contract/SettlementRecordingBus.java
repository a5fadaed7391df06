package io.pulsarrpc.testkit.contract;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pulsar.client.api.MessageId;

/**
 * A bus that records, in order, what its user hands it about messages: every publish ({@code
 * "publish <key>"}), acknowledgement ({@code "ack <key>"}) and negative acknowledgement ({@code
 * "nack <key>"}), at the moment the user calls it. A suite builds one component on it to see from
 * outside what that component settled and published, on any bus. Thread-safe.
 */
final class SettlementRecordingBus extends ForwardingBus {

  private final List<String> events = new CopyOnWriteArrayList<>();

  SettlementRecordingBus(MessageBus bus) {
    super(bus);
  }

  /** What was handed to the bus so far, oldest first; a snapshot. */
  List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    return super.createProducer(spec).thenApply(RecordingProducer::new);
  }

  @Override
  public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    return super.subscribe(spec)
        .thenApply(consumer -> new WrappingConsumer<>(consumer, RecordingMessage::new));
  }

  private final class RecordingProducer<T> extends ForwardingProducer<T> {

    RecordingProducer(BusProducer<T> producer) {
      super(producer);
    }

    @Override
    public CompletableFuture<MessageId> send(OutgoingMessage<T> message) {
      events.add("publish " + message.key());
      return super.send(message);
    }
  }

  private final class RecordingMessage<T> extends ForwardingMessage<T> {

    RecordingMessage(IncomingMessage<T> message) {
      super(message);
    }

    @Override
    public CompletableFuture<Void> acknowledge() {
      events.add("ack " + key());
      return super.acknowledge();
    }

    @Override
    public void negativeAcknowledge() {
      events.add("nack " + key());
      super.negativeAcknowledge();
    }
  }
}
