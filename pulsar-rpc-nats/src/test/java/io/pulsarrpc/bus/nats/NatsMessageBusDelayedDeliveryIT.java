package io.pulsarrpc.bus.nats;

import static io.pulsarrpc.bus.nats.TestBuses.newTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Delayed delivery, and what survives a crash of the NATS server. */
@ExtendWith(TestBrokersExtension.class)
class NatsMessageBusDelayedDeliveryIT {

  private final NatsTestServer nats;
  private final NatsMessageBus bus;
  private final BusTestSupport support;

  NatsMessageBusDelayedDeliveryIT(NatsTestServer nats) {
    this.nats = nats;
    this.bus = TestBuses.at(nats).build();
    this.support = BusTestSupport.on(bus);
  }

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void delayedMessagesAreHandedOverNotBeforeTheirTimeAndTheirHiddenDeliveriesDoNotCount() {
    String topic = newTopic("delayed");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    long sentAt = System.currentTimeMillis();
    long deliverAt = sentAt + 2_000;

    support.join(producer.send(OutgoingMessage.of("1", "now-1", Map.of())));
    support.join(
        producer.send(new OutgoingMessage<>("2", "at-deliverAt", Map.of(), deliverAt, Map.of())));
    support.join(
        producer.send(
            new OutgoingMessage<>(
                "3", "after-a-second", Map.of(), 0, Map.of("deliverAfterSeconds", 1L))));
    support.join(producer.send(OutgoingMessage.of("4", "now-2", Map.of())));
    List<IncomingMessage<String>> received = new ArrayList<>();
    List<Long> arrivals = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      IncomingMessage<String> message = support.receive(consumer);
      arrivals.add(System.currentTimeMillis());
      received.add(message);
      support.join(message.acknowledge());
    }

    // Immediate messages first. The two delayed ones usually come in time order, but a held-back
    // message whose delayed nak JetStream loses comes back only after the ack wait (seen once in
    // CI-like runs): late, never early, never lost. So only "not early" is asserted for each.
    assertThat(received.subList(0, 2))
        .extracting(IncomingMessage::value)
        .containsExactly("now-1", "now-2");
    assertThat(received.subList(2, 4))
        .extracting(IncomingMessage::value)
        .containsExactlyInAnyOrder("after-a-second", "at-deliverAt");
    for (int i = 2; i < 4; i++) {
      long due = received.get(i).value().equals("at-deliverAt") ? deliverAt : sentAt + 1_000;
      assertThat(arrivals.get(i)).isGreaterThanOrEqualTo(due);
    }
    assertThat(received).extracting(IncomingMessage::redeliveryCount).containsOnly(0);
    assertThat(received)
        .filteredOn(message -> message.value().equals("at-deliverAt"))
        .singleElement()
        .satisfies(message -> assertThat(message.properties()).isEmpty());
  }

  @Test
  void aDelayedMessageIsDeliveredAtItsTimeAfterTheNatsServerWasKilledAndANewBusTookOver()
      throws Exception {
    assumeTrue(nats.isEmbedded(), "needs a NATS server the testkit runs");
    String topic = newTopic("delayed-crash");
    long deliverAt;
    CompletableFuture<IncomingMessage<String>> earlyReceive;
    Connection firstConnection = Nats.connect(nats.url());
    try (NatsMessageBus first =
        TestBuses.on(firstConnection).ackWait(Duration.ofSeconds(2)).build()) {
      BusTestSupport onFirst = BusTestSupport.on(first);
      BusConsumer<String> consumer = onFirst.subscribe(topic, "scheduler", SubscriptionMode.SHARED);
      earlyReceive = consumer.receive();
      deliverAt = System.currentTimeMillis() + 5_000;
      support.join(
          onFirst
              .producer(topic)
              .send(new OutgoingMessage<>("k", "scheduled", Map.of(), deliverAt, Map.of())));
      // The consumer took the message and gave it back until its time.
      JetStreamManagement management = firstConnection.jetStreamManagement();
      await()
          .atMost(support.patience())
          .until(
              () ->
                  management
                      .getConsumerInfo(
                          NatsNames.streamName(topic), NatsNames.durableName("scheduler"))
                      .getNumAckPending(),
              pending -> pending == 1);
    } finally {
      TestBuses.close(firstConnection);
    }
    assertThatThrownBy(() -> support.join(earlyReceive)).hasMessageContaining("bus closed");

    nats.kill();
    nats.start();

    Connection secondConnection = Nats.connect(nats.url());
    try (NatsMessageBus second = TestBuses.on(secondConnection).build()) {
      BusTestSupport onSecond = BusTestSupport.on(second);
      IncomingMessage<String> message =
          onSecond.receive(onSecond.subscribe(topic, "scheduler", SubscriptionMode.SHARED));
      long arrivedAt = System.currentTimeMillis();

      assertThat(message.value()).isEqualTo("scheduled");
      assertThat(arrivedAt).isGreaterThanOrEqualTo(deliverAt);
      assertThat(message.redeliveryCount()).isZero();
      support.join(message.acknowledge());
    } finally {
      TestBuses.close(secondConnection);
    }
  }

  @Test
  void aPendingReceiveGetsAMessagePublishedAfterTheNatsServerRestarted() {
    assumeTrue(nats.isEmbedded(), "needs a NATS server the testkit runs");
    String topic = newTopic("restart");
    try (NatsMessageBus ownBus = NatsMessageBus.create(nats.url())) {
      BusTestSupport onOwnBus = BusTestSupport.on(ownBus);
      BusConsumer<String> consumer = onOwnBus.subscribe(topic, "sub", SubscriptionMode.SHARED);
      BusProducer<String> producer = onOwnBus.producer(topic);
      CompletableFuture<IncomingMessage<String>> pending = consumer.receive();

      nats.kill();
      nats.start();

      await()
          .atMost(support.patience())
          .until(
              () ->
                  producer
                      .send(OutgoingMessage.of("k", "after restart", Map.of()))
                      .handle((id, error) -> id != null)
                      .get());
      assertThat(support.join(pending).value()).isEqualTo("after restart");
    }
  }
}
