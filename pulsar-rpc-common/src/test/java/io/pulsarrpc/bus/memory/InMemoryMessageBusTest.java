package io.pulsarrpc.bus.memory;

import static io.pulsarrpc.bus.memory.BusCalls.PATIENCE;
import static io.pulsarrpc.bus.memory.BusCalls.exclusive;
import static io.pulsarrpc.bus.memory.BusCalls.pattern;
import static io.pulsarrpc.bus.memory.BusCalls.producer;
import static io.pulsarrpc.bus.memory.BusCalls.receive;
import static io.pulsarrpc.bus.memory.BusCalls.received;
import static io.pulsarrpc.bus.memory.BusCalls.send;
import static io.pulsarrpc.bus.memory.BusCalls.shared;
import static io.pulsarrpc.bus.memory.BusCalls.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.PulsarMessageView;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SchemaSerializationException;
import org.apache.pulsar.common.schema.SchemaInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryMessageBusTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void describesItself() {
    assertThat(bus.name()).isEqualTo("memory");
    assertThat(bus.supportsDelayedDelivery()).isTrue();
    assertThat(bus.supportsTopicPatterns()).isTrue();
  }

  @Test
  void keyPropertiesAndValueSurviveTheRoundTrip() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    BusProducer<String> producer = producer(bus, "orders");
    long before = System.currentTimeMillis();

    MessageId sent =
        BlockingCalls.await(
            producer.send(OutgoingMessage.of("order-1", "two apples", Map.of("replyTopic", "r"))));
    long after = System.currentTimeMillis();

    IncomingMessage<String> message = receive(consumer);
    assertThat(message.topic()).isEqualTo("orders");
    assertThat(message.key()).isEqualTo("order-1");
    assertThat(message.properties()).containsExactly(Map.entry("replyTopic", "r"));
    assertThat(message.value()).isEqualTo("two apples");
    assertThat(message.data()).isEqualTo("two apples".getBytes(StandardCharsets.UTF_8));
    assertThat(message.id()).isEqualTo(sent);
    assertThat(message.publishTime()).isBetween(before, after);
    assertThat(message.redeliveryCount()).isZero();
    assertThat(message.pulsarConsumer()).isNull();
    assertThat(message.asPulsarMessage()).isInstanceOf(PulsarMessageView.class);
    assertThat(message.asPulsarMessage().getKey()).isEqualTo("order-1");
    assertThat(message.asPulsarMessage().getValue()).isEqualTo("two apples");
  }

  @Test
  void messageIdsCarryTheTopicAndABusWideSequence() {
    BusProducer<String> first = producer(bus, "first");
    BusProducer<String> second = producer(bus, "second");

    MessageId one = send(first, "a");
    MessageId two = send(second, "b");
    MessageId three = send(first, "c");

    assertThat(one).isEqualTo(new BusMessageId("first", "1", 1));
    assertThat(two).isEqualTo(new BusMessageId("second", "2", 2));
    assertThat(three).isEqualTo(new BusMessageId("first", "3", 3));
    assertThat(one).isLessThan(three);
  }

  @Test
  void consumersOfASharedSubscriptionEachGetDifferentMessages() {
    BusConsumer<String> first = shared(bus, "orders", "workers");
    BusConsumer<String> second = shared(bus, "orders", "workers");
    CompletableFuture<IncomingMessage<String>> firstReceive = first.receive();
    CompletableFuture<IncomingMessage<String>> secondReceive = second.receive();
    BusProducer<String> producer = producer(bus, "orders");

    send(producer, "m1");
    send(producer, "m2");

    assertThat(List.of(received(firstReceive).value(), received(secondReceive).value()))
        .containsExactlyInAnyOrder("m1", "m2");
    assertThat(first.receive()).isNotDone();
    assertThat(second.receive()).isNotDone();
  }

  @Test
  void aSecondConsumerOnAnExclusiveSubscriptionIsRefused() {
    exclusive(bus, "orders", "owner");

    CompletableFuture<BusConsumer<String>> second =
        bus.subscribe(
            SubscriptionSpec.ofTopic("orders", "owner", SubscriptionMode.EXCLUSIVE, Schema.STRING));

    assertThat(second)
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("'owner'")
        .withMessageContaining("'orders'")
        .withMessageContaining("EXCLUSIVE");
  }

  @Test
  void aConsumerOfAnotherModeCannotJoinASubscriptionThatHasConsumers() {
    shared(bus, "orders", "workers");

    CompletableFuture<BusConsumer<String>> exclusive =
        bus.subscribe(
            SubscriptionSpec.ofTopic(
                "orders", "workers", SubscriptionMode.EXCLUSIVE, Schema.STRING));

    assertThat(exclusive)
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("'workers'")
        .withMessageContaining("SHARED");
  }

  @Test
  void messagesPublishedBeforeAnySubscriptionExistsAreDropped() {
    BusProducer<String> producer = producer(bus, "orders");
    send(producer, "nobody listens");

    BusConsumer<String> consumer = shared(bus, "orders", "late");
    send(producer, "m1");

    assertThat(receive(consumer).value()).isEqualTo("m1");
  }

  @Test
  void manyReceivesMayWaitAtOnceAndAreServedInOrder() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    List<CompletableFuture<IncomingMessage<String>>> receives =
        List.of(consumer.receive(), consumer.receive(), consumer.receive());
    BusProducer<String> producer = producer(bus, "orders");

    send(producer, "m1");
    send(producer, "m2");
    send(producer, "m3");

    assertThat(receives.stream().map(receive -> received(receive).value()))
        .containsExactly("m1", "m2", "m3");
  }

  @Test
  void messagesOfOneProducerArriveInPublishOrder() {
    BusConsumer<String> consumer = exclusive(bus, "orders", "owner");
    BusProducer<String> producer = producer(bus, "orders");
    for (int i = 0; i < 100; i++) {
      send(producer, "m" + i);
    }

    for (int i = 0; i < 100; i++) {
      assertThat(receive(consumer).value()).isEqualTo("m" + i);
    }
  }

  @Test
  void aReceiveLoopWrittenAsCallbacksDrainsALargeBacklogWithoutOverflowingTheStack() {
    BusConsumer<String> consumer = shared(bus, "orders", "workers");
    BusProducer<String> producer = producer(bus, "orders");
    int backlog = 50_000;
    for (int i = 0; i < backlog; i++) {
      send(producer, "m" + i);
    }
    AtomicInteger handled = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();

    receiveForever(consumer, handled, failure);

    await().atMost(PATIENCE).until(() -> handled.get() == backlog || failure.get() != null);
    assertThat(failure.get()).isNull();
    assertThat(handled.get()).isEqualTo(backlog);
  }

  @Test
  void callbacksThatReceiveAndPublishInTurnDoNotOverflowTheStack() {
    BusConsumer<String> consumer = shared(bus, "ping", "players");
    BusProducer<String> producer = producer(bus, "ping");
    int rounds = 50_000;
    AtomicInteger handled = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();

    playPingPong(consumer, producer, rounds, handled, failure);
    send(producer, "serve");

    await().atMost(PATIENCE).until(() -> handled.get() == rounds || failure.get() != null);
    assertThat(failure.get()).isNull();
  }

  /** Each message, once handled, publishes the next, which completes the receive waiting. */
  private static void playPingPong(
      BusConsumer<String> consumer,
      BusProducer<String> producer,
      int rounds,
      AtomicInteger handled,
      AtomicReference<Throwable> failure) {
    consumer
        .receive()
        .thenAccept(
            message -> {
              message.acknowledge();
              if (handled.incrementAndGet() < rounds) {
                playPingPong(consumer, producer, rounds, handled, failure);
                producer.send(OutgoingMessage.of("k", "ball", Map.of()));
              }
            })
        .exceptionally(
            error -> {
              failure.compareAndSet(null, error);
              return null;
            });
  }

  private static void receiveForever(
      BusConsumer<String> consumer, AtomicInteger handled, AtomicReference<Throwable> failure) {
    consumer
        .receive()
        .thenAccept(
            message -> {
              message.acknowledge();
              handled.incrementAndGet();
              receiveForever(consumer, handled, failure);
            })
        .exceptionally(
            error -> {
              failure.compareAndSet(null, error);
              return null;
            });
  }

  @Test
  void aPatternSubscriptionReceivesFromExistingAndLaterMatchingTopics() {
    BusProducer<String> existing = producer(bus, "orders-eu");
    BusConsumer<String> consumer = pattern(bus, "orders-.*", "all-orders");

    BusProducer<String> later = producer(bus, "orders-us");
    send(existing, "from eu");
    send(later, "from us");

    IncomingMessage<String> first = receive(consumer);
    IncomingMessage<String> second = receive(consumer);
    assertThat(List.of(first.topic() + ":" + first.value(), second.topic() + ":" + second.value()))
        .containsExactlyInAnyOrder("orders-eu:from eu", "orders-us:from us");
  }

  @Test
  void aTopicFirstNamedByAPublishJoinsAMatchingPatternBeforeItsFirstMessage() {
    BusConsumer<String> consumer = pattern(bus, "orders-.*", "all-orders");

    send(producer(bus, "orders-asia"), "first ever");

    assertThat(receive(consumer).topic()).isEqualTo("orders-asia");
  }

  @Test
  void aPatternMustMatchTheWholeTopicName() {
    BusConsumer<String> consumer = pattern(bus, "orders-.*", "all-orders");

    send(producer(bus, "old-orders-eu"), "ignored");
    send(producer(bus, "orders-eu"), "wanted");

    assertThat(receive(consumer).value()).isEqualTo("wanted");
    assertThat(consumer.receive()).isNotDone();
  }

  @Test
  void aPatternConsumerSharesTheSubscriptionOfEachTopicWithItsOtherConsumers() {
    BusConsumer<String> direct = shared(bus, "orders-eu", "workers");
    BusConsumer<String> byPattern = pattern(bus, "orders-.*", "workers");
    CompletableFuture<IncomingMessage<String>> directReceive = direct.receive();
    CompletableFuture<IncomingMessage<String>> patternReceive = byPattern.receive();
    BusProducer<String> producer = producer(bus, "orders-eu");

    send(producer, "m1");
    send(producer, "m2");

    assertThat(List.of(received(directReceive).value(), received(patternReceive).value()))
        .containsExactlyInAnyOrder("m1", "m2");
  }

  @Test
  void aValueThatDoesNotDecodeThrowsMessageDecodeExceptionYetCanBeAcknowledged() {
    BusConsumer<Long> consumer =
        subscribe(bus, "numbers", "readers", SubscriptionMode.SHARED, Schema.INT64);
    BusProducer<byte[]> producer = producer(bus, "numbers", Schema.BYTES);
    byte[] junk = {1, 2, 3};

    BlockingCalls.await(producer.send(OutgoingMessage.of("k", junk, Map.of())));

    IncomingMessage<Long> message = receive(consumer);
    assertThatThrownBy(message::value)
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining("numbers")
        .hasMessageContaining("INT64")
        .hasCauseInstanceOf(SchemaSerializationException.class);
    assertThatThrownBy(() -> message.asPulsarMessage().getValue())
        .isInstanceOf(MessageDecodeException.class);
    assertThat(message.data()).isEqualTo(junk);
    assertThat(message.key()).isEqualTo("k");
    assertThat(message.acknowledge()).succeedsWithin(PATIENCE);
  }

  @Test
  void jsonThatDoesNotMatchTheConsumersClassThrowsMessageDecodeException() {
    BusConsumer<Order> consumer =
        subscribe(bus, "orders", "readers", SubscriptionMode.SHARED, Schema.JSON(Order.class));
    BusProducer<byte[]> producer = producer(bus, "orders", Schema.BYTES);

    BlockingCalls.await(
        producer.send(
            OutgoingMessage.of("k", "not json".getBytes(StandardCharsets.UTF_8), Map.of())));

    assertThatThrownBy(receive(consumer)::value)
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining("JSON");
  }

  @Test
  void changingTheSentArrayAfterSendDoesNotChangeTheMessage() {
    BusConsumer<byte[]> consumer =
        subscribe(bus, "blobs", "readers", SubscriptionMode.SHARED, Schema.BYTES);
    byte[] payload = {1, 2, 3};

    BlockingCalls.await(
        producer(bus, "blobs", Schema.BYTES).send(OutgoingMessage.of("k", payload, Map.of())));
    payload[0] = 9;

    IncomingMessage<byte[]> message = receive(consumer);
    assertThat(message.value()).containsExactly(1, 2, 3);
    message.value()[1] = 9;
    message.data()[2] = 9;
    assertThat(message.data()).containsExactly(1, 2, 3);
  }

  @Test
  void aValueTheProducersSchemaCannotEncodeFailsTheSend() {
    BusProducer<String> producer = producer(bus, "orders", new UnencodableSchema());

    assertThat(producer.send(OutgoingMessage.of("k", "v", Map.of())))
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(SchemaSerializationException.class);
  }

  /** A JSON-schema value with the bean shape Pulsar's JSON schema expects. */
  public static final class Order {
    private String item;
    private int quantity;

    public Order() {}

    Order(String item, int quantity) {
      this.item = item;
      this.quantity = quantity;
    }

    public String getItem() {
      return item;
    }

    public void setItem(String item) {
      this.item = item;
    }

    public int getQuantity() {
      return quantity;
    }

    public void setQuantity(int quantity) {
      this.quantity = quantity;
    }
  }

  private static final class UnencodableSchema implements Schema<String> {
    @Override
    public byte[] encode(String message) {
      throw new SchemaSerializationException("cannot encode " + message);
    }

    @Override
    public SchemaInfo getSchemaInfo() {
      return Schema.STRING.getSchemaInfo();
    }

    @Override
    public Schema<String> clone() {
      return this;
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
