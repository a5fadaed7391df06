package io.pulsarrpc.bus.pulsar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestBrokersExtension.class)
class PulsarMessageBusIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Schema<String> STR = Schema.STRING;

  private final PulsarTestBroker broker;
  private final PulsarMessageBus bus;

  PulsarMessageBusIT(PulsarTestBroker broker) {
    this.broker = broker;
    this.bus = PulsarMessageBus.create(broker.client());
  }

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void keyPropertiesAndValueArriveAsSentWithTheMessageIdTheSendReturned() {
    String topic = broker.newTopic("round-trip");
    BusConsumer<String> consumer = subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = producer(topic);

    MessageId sentId =
        join(producer.send(OutgoingMessage.of("id-1", "hello", Map.of("replyTopic", "replies"))));
    IncomingMessage<String> message = join(consumer.receive());

    assertThat(sentId).isNotNull();
    assertThat(message.id()).isEqualTo(sentId);
    assertThat(message.topic()).isEqualTo(topic);
    assertThat(message.key()).isEqualTo("id-1");
    assertThat(message.properties()).isEqualTo(Map.of("replyTopic", "replies"));
    assertThat(message.value()).isEqualTo("hello");
    assertThat(message.data()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(message.redeliveryCount()).isZero();
    assertThat(message.publishTime()).isPositive();
    assertThat(message.asPulsarMessage().getMessageId()).isEqualTo(sentId);
    assertThat(message.pulsarConsumer().getSubscription()).isEqualTo("sub");
    assertThat(consumer.subscription()).isEqualTo("sub");
    assertThat(producer.topic()).isEqualTo(topic);
    join(message.acknowledge());
  }

  @Test
  void aDelayedMessageIsNotDeliveredBeforeItsTimeWhileTheProducerBatches() {
    String topic = broker.newTopic("delayed");
    BusConsumer<String> consumer = subscribe(topic, "sub", SubscriptionMode.SHARED);
    // Batching is on by default; a long batching delay keeps a batch open while the delayed
    // message is sent.
    BusProducer<String> producer =
        join(
            bus.createProducer(
                new ProducerSpec<>(
                    topic, STR, Map.of("batchingMaxPublishDelayMicros", 1_000_000L))));
    long deliverAt = System.currentTimeMillis() + 2_500;

    List<CompletableFuture<MessageId>> sends =
        List.of(
            producer.send(OutgoingMessage.of("1", "now-1", Map.of())),
            producer.send(OutgoingMessage.of("2", "now-2", Map.of())),
            producer.send(new OutgoingMessage<>("3", "later", Map.of(), deliverAt, Map.of())),
            producer.send(OutgoingMessage.of("4", "now-3", Map.of())));
    join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));

    Map<String, IncomingMessage<String>> immediate = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      IncomingMessage<String> message = join(consumer.receive());
      immediate.put(message.value(), message);
    }
    IncomingMessage<String> delayed = join(consumer.receive());
    long delayedArrivedAt = System.currentTimeMillis();

    assertThat(immediate).containsOnlyKeys("now-1", "now-2", "now-3");
    assertThat(delayed.value()).isEqualTo("later");
    // On a quiet topic the broker's timer releases the message at deliverAt. With other traffic, a
    // broker not in strict mode may release it up to its tick early (see PulsarMessageBus).
    assertThat(delayedArrivedAt).isGreaterThanOrEqualTo(deliverAt);
    // How the Pulsar client keeps the delivery time per message: it flushes the open batch and
    // sends the delayed message in an entry of its own.
    MessageIdAdv batched = (MessageIdAdv) immediate.get("now-1").id();
    MessageIdAdv alone = (MessageIdAdv) delayed.id();
    assertThat(batched.getBatchSize()).isEqualTo(2);
    assertThat(((MessageIdAdv) immediate.get("now-2").id()).getEntryId())
        .isEqualTo(batched.getEntryId());
    assertThat(alone.getBatchSize()).isZero();
    assertThat(alone.getEntryId()).isNotEqualTo(batched.getEntryId());
  }

  @Test
  void aPatternSubscriptionReceivesFromATopicCreatedAfterSubscribing() {
    // newTopic gives persistent://public/default/<name>-<random>; the pattern matches its children.
    String base = broker.newTopic("pattern");
    BusConsumer<String> consumer =
        join(
            bus.subscribe(
                new SubscriptionSpec<>(
                    null,
                    Pattern.compile(base + "-.*"),
                    "sub",
                    SubscriptionMode.SHARED,
                    // A topic discovered after its first message would otherwise skip that message.
                    InitialPosition.EARLIEST,
                    Schema.STRING,
                    Duration.ofSeconds(1),
                    SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE)));
    String lateTopic = base + "-orders";

    join(producer(lateTopic).send(OutgoingMessage.of("k", "late", Map.of())));
    IncomingMessage<String> message = join(consumer.receive());

    assertThat(message.value()).isEqualTo("late");
    assertThat(message.topic()).isEqualTo(lateTopic);
    join(message.acknowledge());
  }

  @Test
  void twoSharedConsumersSplitTheMessages() {
    String topic = broker.newTopic("shared");
    BusConsumer<String> first = subscribe(topic, "workers", SubscriptionMode.SHARED, 1);
    BusConsumer<String> second = subscribe(topic, "workers", SubscriptionMode.SHARED, 1);
    // Unbatched, so that the broker dispatches message by message rather than batch by batch.
    BusProducer<String> producer =
        join(bus.createProducer(new ProducerSpec<>(topic, STR, Map.of("batchingEnabled", false))));
    List<String> firstGot = new CopyOnWriteArrayList<>();
    List<String> secondGot = new CopyOnWriteArrayList<>();
    receiveForever(first, firstGot);
    receiveForever(second, secondGot);

    List<CompletableFuture<MessageId>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(producer.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
    }
    join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(firstGot.size() + secondGot.size()).isEqualTo(20));
    assertThat(firstGot).isNotEmpty().doesNotContainAnyElementsOf(secondGot);
    assertThat(secondGot).isNotEmpty();
  }

  @Test
  void aSecondExclusiveConsumerIsRefused() {
    String topic = broker.newTopic("exclusive");
    subscribe(topic, "only-one", SubscriptionMode.EXCLUSIVE);

    CompletableFuture<BusConsumer<String>> second =
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "only-one", SubscriptionMode.EXCLUSIVE, STR));

    assertThatThrownBy(() -> second.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PulsarClientException.ConsumerBusyException.class);
  }

  @Test
  void aValueThatDoesNotDecodeThrowsMessageDecodeExceptionNamingTopicAndId() {
    String topic = broker.newTopic("undecodable");
    // Subscribing first registers the JSON schema on the new topic. A BYTES producer declares no
    // schema, and the broker lets schemaless producers publish unless schemaValidationEnforced.
    BusConsumer<Order> consumer =
        join(
            bus.subscribe(
                SubscriptionSpec.ofTopic(
                    topic, "sub", SubscriptionMode.SHARED, Schema.JSON(Order.class))));
    BusProducer<byte[]> producer = join(bus.createProducer(ProducerSpec.of(topic, Schema.BYTES)));

    join(
        producer.send(
            OutgoingMessage.of("k", "not json {".getBytes(StandardCharsets.UTF_8), Map.of())));
    IncomingMessage<Order> message = join(consumer.receive());

    assertThatThrownBy(message::value)
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining(topic)
        .hasMessageContaining(message.id().toString())
        .cause()
        .isNotNull();
    assertThat(message.data()).isEqualTo("not json {".getBytes(StandardCharsets.UTF_8));
    join(message.acknowledge());
  }

  @Test
  void acknowledgedMessagesAreNotRedeliveredAfterResubscribingButUnacknowledgedOnesAre() {
    String topic = broker.newTopic("acks");
    BusConsumer<String> consumer = subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = producer(topic);
    join(producer.send(OutgoingMessage.of("a", "acknowledged", Map.of())));
    join(producer.send(OutgoingMessage.of("u", "unacknowledged", Map.of())));

    IncomingMessage<String> first = join(consumer.receive());
    IncomingMessage<String> second = join(consumer.receive());
    assertThat(List.of(first.value(), second.value()))
        .containsExactly("acknowledged", "unacknowledged");
    join(first.acknowledge());
    join(consumer.closeAsync());
    BusConsumer<String> again = subscribe(topic, "sub", SubscriptionMode.SHARED);
    join(producer.send(OutgoingMessage.of("n", "new", Map.of())));

    IncomingMessage<String> redelivered = join(again.receive());
    IncomingMessage<String> next = join(again.receive());

    assertThat(redelivered.value()).isEqualTo("unacknowledged");
    assertThat(next.value()).isEqualTo("new");
  }

  @Test
  void aNegativelyAcknowledgedMessageIsRedeliveredWithRedeliveryCountOne() {
    String topic = broker.newTopic("nack");
    BusConsumer<String> consumer = subscribe(topic, "sub", SubscriptionMode.SHARED);
    join(producer(topic).send(OutgoingMessage.of("k", "retry me", Map.of())));

    IncomingMessage<String> first = join(consumer.receive());
    first.negativeAcknowledge();
    IncomingMessage<String> again = join(consumer.receive());

    assertThat(first.redeliveryCount()).isZero();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.value()).isEqualTo("retry me");
    assertThat(again.redeliveryCount()).isEqualTo(1);
    join(again.acknowledge());
  }

  @Test
  void closingTheBusFailsAPendingReceiveAndLaterSends() {
    String topic = broker.newTopic("close");
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.client());
    BusConsumer<String> consumer =
        join(
            ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
    BusProducer<String> producer = join(ownBus.createProducer(ProducerSpec.of(topic, STR)));
    CompletableFuture<IncomingMessage<String>> pending = consumer.receive();

    ownBus.close();

    assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(PulsarClientException.AlreadyClosedException.class);
    assertThatThrownBy(() -> join(producer.send(OutgoingMessage.of("k", "v", Map.of()))))
        .hasCauseInstanceOf(PulsarClientException.AlreadyClosedException.class);
  }

  @Test
  void closingTheBusLeavesAGivenClientWorking() {
    String topic = broker.newTopic("given-client");
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.client());
    join(ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));

    ownBus.close();

    assertThat(broker.client().isClosed()).isFalse();
    // This test class's own bus runs on the same client.
    BusConsumer<String> consumer = subscribe(topic, "other", SubscriptionMode.SHARED);
    join(producer(topic).send(OutgoingMessage.of("k", "still works", Map.of())));
    assertThat(join(consumer.receive()).value()).isEqualTo("still works");
  }

  @Test
  void aClosedBusRefusesNewProducersAndConsumersAndClosingAgainIsHarmless() {
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.client());
    join(ownBus.closeAsync());

    CompletableFuture<BusProducer<String>> producer =
        ownBus.createProducer(ProducerSpec.of(broker.newTopic("closed"), STR));
    CompletableFuture<BusConsumer<String>> consumer =
        ownBus.subscribe(
            SubscriptionSpec.ofTopic(
                broker.newTopic("closed"), "sub", SubscriptionMode.SHARED, STR));

    assertThatThrownBy(producer::join)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bus closed");
    assertThatThrownBy(consumer::join)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bus closed");
    assertThat(ownBus.closeAsync()).succeedsWithin(WAIT);
  }

  @Test
  void aBusCreatedFromAServiceUrlClosesItsOwnClient() {
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.serviceUrl());
    String topic = broker.newTopic("own-client");
    BusConsumer<String> consumer =
        join(
            ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
    join(
        join(ownBus.createProducer(ProducerSpec.of(topic, STR)))
            .send(OutgoingMessage.of("k", "v", Map.of())));
    assertThat(join(consumer.receive()).value()).isEqualTo("v");
    PulsarClient ownClient = ownBus.client();

    ownBus.close();

    assertThat(ownClient.isClosed()).isTrue();
  }

  @Test
  void producerConfigIsAppliedWithLoadConf() {
    String topic = broker.newTopic("producer-config");
    BusConsumer<String> consumer = subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer =
        join(
            bus.createProducer(
                new ProducerSpec<>(topic, STR, Map.of("producerName", "orders-producer"))));

    join(producer.send(OutgoingMessage.of("k", "v", Map.of())));

    assertThat(join(consumer.receive()).asPulsarMessage().getProducerName())
        .isEqualTo("orders-producer");
  }

  @Test
  void producerConfigThatPulsarRefusesIsAnIllegalArgument() {
    String topic = broker.newTopic("bad-producer-config");

    assertThatThrownBy(
            () -> bus.createProducer(new ProducerSpec<>(topic, STR, Map.of("noSuchSetting", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noSuchSetting");
    assertThatThrownBy(
            () ->
                bus.createProducer(
                    new ProducerSpec<>(topic, STR, Map.of("sendTimeoutMs", "not a number"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sendTimeoutMs");
  }

  @Test
  void messageConfigThatPulsarRefusesIsAnIllegalArgument() {
    BusProducer<String> producer = producer(broker.newTopic("bad-message-config"));

    assertThatThrownBy(
            () ->
                producer.send(
                    new OutgoingMessage<>("k", "v", Map.of(), 0, Map.of("noSuchKey", "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noSuchKey");
  }

  /** A small POJO for the JSON schema. */
  public static final class Order {
    public String item;
    public int quantity;
  }

  private BusProducer<String> producer(String topic) {
    return join(bus.createProducer(ProducerSpec.of(topic, STR)));
  }

  private BusConsumer<String> subscribe(String topic, String subscription, SubscriptionMode mode) {
    return join(bus.subscribe(SubscriptionSpec.ofTopic(topic, subscription, mode, STR)));
  }

  private BusConsumer<String> subscribe(
      String topic, String subscription, SubscriptionMode mode, int receiverQueueSize) {
    return join(
        bus.subscribe(
            new SubscriptionSpec<>(
                topic,
                null,
                subscription,
                mode,
                InitialPosition.LATEST,
                STR,
                SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
                receiverQueueSize)));
  }

  /** Receives and acknowledges until the consumer closes, recording the values. */
  private static void receiveForever(BusConsumer<String> consumer, List<String> values) {
    consumer
        .receive()
        .thenAccept(
            message -> {
              values.add(message.value());
              message.acknowledge();
              receiveForever(consumer, values);
            });
  }

  private static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }
}
