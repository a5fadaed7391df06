package io.pulsarrpc.benchmarks;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;

/**
 * One-way delivery through the bus SPI alone: a producer of one bus publishes, each receiver is a
 * temporary subscription of another bus that acknowledges each message. The baseline on the buses
 * other than Pulsar, where what the stream and broadcast scenarios cost beyond it is the SDK's own.
 */
final class RawBusFanOut implements RawFanOut {

  /** Receives each consumer keeps outstanding, so that none waits for one message at a time. */
  private static final int OUTSTANDING_RECEIVES = 16;

  private final byte[] payload;
  private final PendingAnswers pending = new PendingAnswers();
  private final BusProducer<byte[]> producer;
  private final List<BusConsumer<byte[]>> consumers = new ArrayList<>();
  private volatile boolean closed;

  RawBusFanOut(
      MessageBus publisherBus, MessageBus receiverBus, String topic, int receivers, byte[] payload)
      throws Exception {
    this.payload = payload;
    for (int i = 0; i < receivers; i++) {
      consumers.add(
          receiverBus
              .subscribe(SubscriptionSpec.temporary(topic, Schema.BYTES))
              .get(30, TimeUnit.SECONDS));
    }
    this.producer =
        publisherBus.createProducer(ProducerSpec.of(topic, Schema.BYTES)).get(30, TimeUnit.SECONDS);
    for (BusConsumer<byte[]> consumer : consumers) {
      for (int i = 0; i < OUTSTANDING_RECEIVES; i++) {
        BusPump.keepReceiving(consumer, this::received, () -> closed);
      }
    }
  }

  @Override
  public int receivers() {
    return consumers.size();
  }

  @Override
  public CompletableFuture<?> start(String id) {
    return pending.send(
        id, consumers.size(), () -> producer.send(OutgoingMessage.of(id, payload, Map.of())));
  }

  @Override
  public void close() {
    closed = true;
    producer.closeAsync();
    consumers.forEach(BusConsumer::closeAsync);
  }

  private void received(IncomingMessage<byte[]> message) {
    message.acknowledge();
    pending.answered(message.key());
  }
}
