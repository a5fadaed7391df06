package io.pulsarrpc.bus.pulsar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.testkit.PulsarTestBroker;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the Pulsar bus does: its view of Pulsar's own messages and consumers, batching around
 * delayed messages, the client it was given or made, and Pulsar's producer and message settings.
 * The bus contract runs in PulsarMessageBusContractIT. Both live in the testkit, next to the
 * contract and its helpers, since the module of the Pulsar bus comes before the testkit.
 */
@ExtendWith(TestBrokersExtension.class)
class PulsarMessageBusIT {

  private static final Schema<String> STR = Schema.STRING;

  private final PulsarTestBroker broker;
  private final PulsarMessageBus bus;
  private final BusTestSupport support;

  PulsarMessageBusIT(PulsarTestBroker broker) {
    this.broker = broker;
    this.bus = PulsarMessageBus.create(broker.client());
    this.support = BusTestSupport.on(bus);
  }

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void aMessageIsAlsoThePulsarMessageOfThePulsarConsumerThatReceivedIt() {
    String topic = broker.newTopic("pulsar-view");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

    MessageId sentId =
        support.join(support.producer(topic).send(OutgoingMessage.of("k", "hello", Map.of())));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(message.asPulsarMessage().getMessageId()).isEqualTo(sentId);
    assertThat(message.asPulsarMessage().getTopicName()).isEqualTo(topic);
    assertThat(message.pulsarConsumer().getSubscription()).isEqualTo("sub");
    support.join(message.acknowledge());
  }

  @Test
  void aDelayedMessageIsNotDeliveredBeforeItsTimeWhileTheProducerBatches() {
    String topic = broker.newTopic("delayed");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    // Batching is on by default; a long batching delay keeps a batch open while the delayed
    // message is sent.
    BusProducer<String> producer =
        support.join(
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
    support.join(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));

    Map<String, IncomingMessage<String>> immediate = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      IncomingMessage<String> message = support.receive(consumer);
      immediate.put(message.value(), message);
    }
    IncomingMessage<String> delayed = support.receive(consumer);
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
  void closingTheBusLeavesAGivenClientWorking() {
    String topic = broker.newTopic("given-client");
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.client());
    support.join(
        ownBus.subscribe(SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));

    ownBus.close();

    assertThat(broker.client().isClosed()).isFalse();
    // This test class's own bus runs on the same client.
    assertThat(support.sendAndReceive(topic, "still works")).isEqualTo("still works");
  }

  @Test
  void aBusCreatedFromAServiceUrlClosesItsOwnClient() {
    PulsarMessageBus ownBus = PulsarMessageBus.create(broker.serviceUrl());
    String topic = broker.newTopic("own-client");
    assertThat(BusTestSupport.on(ownBus).sendAndReceive(topic, "v")).isEqualTo("v");
    PulsarClient ownClient = ownBus.client();

    ownBus.close();

    assertThat(ownClient.isClosed()).isTrue();
  }

  @Test
  void producerConfigIsAppliedWithLoadConf() {
    String topic = broker.newTopic("producer-config");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer =
        support.join(
            bus.createProducer(
                new ProducerSpec<>(topic, STR, Map.of("producerName", "orders-producer"))));

    support.join(producer.send(OutgoingMessage.of("k", "v", Map.of())));

    assertThat(support.receive(consumer).asPulsarMessage().getProducerName())
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
    BusProducer<String> producer = support.producer(broker.newTopic("bad-message-config"));

    assertThatThrownBy(
            () ->
                producer.send(
                    new OutgoingMessage<>("k", "v", Map.of(), 0, Map.of("noSuchKey", "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noSuchKey");
  }
}
