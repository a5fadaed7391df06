package io.pulsarrpc.bus.nats;

import static io.pulsarrpc.bus.nats.TestBuses.newTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a JetStream consumer does with a message that arrives before its delivery time: kept until
 * then when the time is near, sent back until shortly before it when far, given back when the
 * consumer closes; against a real nats-server.
 */
@ExtendWith(TestBrokersExtension.class)
class NatsEarlyMessagesIT {

  private final Connection connection;
  private final JetStreamManagement management;

  NatsEarlyMessagesIT(NatsTestServer nats) throws Exception {
    this.connection = Nats.connect(nats.url());
    this.management = connection.jetStreamManagement();
  }

  @AfterEach
  void closeConnection() throws InterruptedException {
    connection.close();
  }

  @Test
  void aMessageDueWithinHalfTheAckWaitIsKeptUntilItsTimeAndNeverDeliveredAgain() throws Exception {
    try (NatsMessageBus bus = TestBuses.on(connection).build()) {
      BusTestSupport support = BusTestSupport.on(bus);
      String topic = newTopic("near");
      BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
      BusProducer<String> producer = support.producer(topic);
      long deliverAt = System.currentTimeMillis() + 1_500;

      support.join(
          producer.send(new OutgoingMessage<>("k", "near", Map.of(), deliverAt, Map.of())));
      IncomingMessage<String> message = support.receive(consumer);
      long arrivedAt = System.currentTimeMillis();
      support.join(message.acknowledge());

      assertThat(message.value()).isEqualTo("near");
      assertThat(arrivedAt).isGreaterThanOrEqualTo(deliverAt);
      assertThat(message.redeliveryCount()).isZero();
      assertThat(deliveries(topic, "sub")).as("deliveries JetStream made").isEqualTo(1);
    }
  }

  @Test
  void aKeptMessageGetsAWholeAckWaitFromTheMomentItIsHandedOver() throws Exception {
    // Ack wait 2 s, so messages due within 1 s are kept.
    try (NatsMessageBus bus = TestBuses.on(connection).ackWait(Duration.ofSeconds(2)).build()) {
      BusTestSupport support = BusTestSupport.on(bus);
      String topic = newTopic("kept-ack-wait");
      BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
      BusProducer<String> producer = support.producer(topic);
      long sentAt = System.currentTimeMillis();
      long deliverAt = sentAt + 900;

      support.join(
          producer.send(new OutgoingMessage<>("k", "kept", Map.of(), deliverAt, Map.of())));
      IncomingMessage<String> message = support.receive(consumer);
      CompletableFuture<IncomingMessage<String>> another = consumer.receive();

      // Still unacknowledged 1.5 s after the hand-over, past the ack wait counted from its
      // delivery at the send: JetStream must not deliver it again.
      await()
          .during(Duration.ofMillis(1_500))
          .atMost(support.patience())
          .until(() -> !another.isDone());
      support.join(message.acknowledge());

      assertThat(message.value()).isEqualTo("kept");
      assertThat(deliveries(topic, "sub")).as("deliveries JetStream made").isEqualTo(1);
      another.cancel(false);
    }
  }

  @Test
  void aMessageDueAfterHalfTheAckWaitComesBackShortlyBeforeItsTimeAndIsHandedOverAtIt()
      throws Exception {
    try (NatsMessageBus bus = TestBuses.on(connection).ackWait(Duration.ofSeconds(2)).build()) {
      BusTestSupport support = BusTestSupport.on(bus);
      String topic = newTopic("far");
      BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
      BusProducer<String> producer = support.producer(topic);
      long deliverAt = System.currentTimeMillis() + 3_000;

      support.join(producer.send(new OutgoingMessage<>("k", "far", Map.of(), deliverAt, Map.of())));
      IncomingMessage<String> message = support.receive(consumer);
      long arrivedAt = System.currentTimeMillis();
      support.join(message.acknowledge());

      assertThat(message.value()).isEqualTo("far");
      assertThat(arrivedAt).isGreaterThanOrEqualTo(deliverAt);
      // Its delivery before the time was sent back, and does not count.
      assertThat(message.redeliveryCount()).isZero();
      assertThat(deliveries(topic, "sub")).as("deliveries JetStream made").isEqualTo(2);
    }
  }

  @Test
  void aConsumerThatClosesWhileKeepingAMessageGivesItBackForAnotherAtItsTime() throws Exception {
    try (NatsMessageBus bus = TestBuses.on(connection).build()) {
      BusTestSupport support = BusTestSupport.on(bus);
      String topic = newTopic("kept-at-close");
      BusConsumer<String> first = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
      CompletableFuture<IncomingMessage<String>> firstReceive = first.receive();
      BusProducer<String> producer = support.producer(topic);
      long deliverAt = System.currentTimeMillis() + 3_000;
      support.join(
          producer.send(new OutgoingMessage<>("k", "handed on", Map.of(), deliverAt, Map.of())));
      await()
          .atMost(support.patience())
          .until(() -> consumerInfo(topic, "sub").getNumAckPending() == 1);

      support.join(first.closeAsync());
      BusConsumer<String> second = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
      IncomingMessage<String> message = support.receive(second);
      long arrivedAt = System.currentTimeMillis();
      support.join(message.acknowledge());

      assertThat(firstReceive).isCompletedExceptionally();
      assertThat(message.value()).isEqualTo("handed on");
      assertThat(arrivedAt).isGreaterThanOrEqualTo(deliverAt);
      // Well before the ack wait (30 s) after which an abandoned message would come back.
      assertThat(arrivedAt - deliverAt).isLessThan(10_000);
      assertThat(message.redeliveryCount()).isZero();
    }
  }

  /** Every delivery of the subscription's durable consumer, first ones and again. */
  private long deliveries(String topic, String subscription) throws Exception {
    return consumerInfo(topic, subscription).getDelivered().getConsumerSequence();
  }

  private ConsumerInfo consumerInfo(String topic, String subscription) throws Exception {
    return management.getConsumerInfo(
        NatsNames.streamName(topic), NatsNames.durableName(subscription));
  }
}
