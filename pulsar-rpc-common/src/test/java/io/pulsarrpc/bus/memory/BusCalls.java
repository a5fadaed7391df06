package io.pulsarrpc.bus.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;

/** Short blocking forms of the bus calls the tests make over and over. */
final class BusCalls {

  /** How long a test waits for something that should happen; generous for a loaded machine. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private BusCalls() {}

  static <T> BusProducer<T> producer(MessageBus bus, String topic, Schema<T> schema) {
    return BlockingCalls.await(bus.createProducer(ProducerSpec.of(topic, schema)));
  }

  static BusProducer<String> producer(MessageBus bus, String topic) {
    return producer(bus, topic, Schema.STRING);
  }

  static <T> BusConsumer<T> subscribe(
      MessageBus bus, String topic, String subscription, SubscriptionMode mode, Schema<T> schema) {
    return BlockingCalls.await(
        bus.subscribe(SubscriptionSpec.ofTopic(topic, subscription, mode, schema)));
  }

  static BusConsumer<String> shared(MessageBus bus, String topic, String subscription) {
    return subscribe(bus, topic, subscription, SubscriptionMode.SHARED, Schema.STRING);
  }

  static BusConsumer<String> exclusive(MessageBus bus, String topic, String subscription) {
    return subscribe(bus, topic, subscription, SubscriptionMode.EXCLUSIVE, Schema.STRING);
  }

  static BusConsumer<String> pattern(MessageBus bus, String regex, String subscription) {
    return BlockingCalls.await(
        bus.subscribe(
            new SubscriptionSpec<>(
                null,
                Pattern.compile(regex),
                subscription,
                SubscriptionMode.SHARED,
                InitialPosition.LATEST,
                Schema.STRING,
                SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
                SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE)));
  }

  /** Sends {@code value} with itself as the key. */
  static MessageId send(BusProducer<String> producer, String value) {
    return BlockingCalls.await(producer.send(OutgoingMessage.of(value, value, Map.of())));
  }

  /** The message the future completes with, failing the test if it does not within patience. */
  static <T> IncomingMessage<T> received(CompletableFuture<IncomingMessage<T>> receive) {
    assertThat(receive).succeedsWithin(PATIENCE);
    return receive.join();
  }

  static <T> IncomingMessage<T> receive(BusConsumer<T> consumer) {
    return received(consumer.receive());
  }
}
