package io.pulsarrpc.bus.nats;

import static io.pulsarrpc.bus.nats.TestBuses.newTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.NoSubscribersException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.client.PulsarRpcClient;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.testkit.NatsTestServer;
import io.pulsarrpc.testkit.TestBrokersExtension;
import io.pulsarrpc.testkit.contract.BusTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What is specific to the core mode of the NATS bus, against a real nats-server. */
@ExtendWith(TestBrokersExtension.class)
class NatsCoreModeIT {

  private static final Schema<String> STR = Schema.STRING;

  private final String natsUrl;
  private final NatsMessageBus bus;
  private final BusTestSupport support;

  NatsCoreModeIT(NatsTestServer nats) {
    this.natsUrl = nats.url();
    this.bus = NatsMessageBus.builder().url(nats.url()).mode(NatsMode.CORE).build();
    this.support = BusTestSupport.on(bus);
  }

  @AfterEach
  void closeBus() {
    bus.close();
  }

  @Test
  void theBusSaysItHasNoDelayedDelivery() {
    assertThat(bus.mode()).isEqualTo(NatsMode.CORE);
    assertThat(bus.supportsDelayedDelivery()).isFalse();
  }

  @Test
  void aSendToATopicWithoutSubscriberFailsAtOnceWithNoResponders() {
    String topic = newTopic("nobody");
    BusProducer<String> producer = support.producer(topic);

    CompletableFuture<?> sent = producer.send(OutgoingMessage.of("k", "lost", Map.of()));

    assertThatThrownBy(() -> support.join(sent))
        .hasCauseInstanceOf(NoSubscribersException.class)
        .hasMessageContaining("no subscriber on topic '" + topic + "'")
        .hasMessageContaining("no responders");
  }

  @Test
  void sendsMadeTogetherToTopicsWithAndWithoutSubscribersEachEndAsTheirTopicDeserves() {
    String heard = newTopic("heard");
    String unheard = newTopic("unheard");
    BusConsumer<String> consumer = support.subscribe(heard, "sub", SubscriptionMode.SHARED);
    BusProducer<String> toHeard = support.producer(heard);
    BusProducer<String> toUnheard = support.producer(unheard);
    List<CompletableFuture<?>> delivered = new ArrayList<>();
    List<CompletableFuture<?>> refused = new ArrayList<>();

    // Not awaited one by one: one confirmation covers many sends, and each must still get its own
    // outcome.
    for (int i = 0; i < 200; i++) {
      delivered.add(toHeard.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
      refused.add(toUnheard.send(OutgoingMessage.of("k" + i, "m" + i, Map.of())));
    }

    for (CompletableFuture<?> sent : delivered) {
      assertThat(sent).succeedsWithin(support.patience());
    }
    for (CompletableFuture<?> sent : refused) {
      assertThat(sent)
          .failsWithin(support.patience())
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("no responders");
    }
    for (int i = 0; i < 200; i++) {
      assertThat(support.receive(consumer).value()).isEqualTo("m" + i);
    }
    assertThat(bus.routingConfirmations().unconfirmed()).isZero();
  }

  @Test
  void aSendTheServerNeverConfirmsFailsAfterTheOperationTimeoutSayingItMayHaveBeenDelivered() {
    try (NatsTestServer own = NatsTestServer.startLocal();
        NatsMessageBus shortWait =
            NatsMessageBus.builder()
                .url(own.url())
                .mode(NatsMode.CORE)
                .operationTimeout(Duration.ofSeconds(1))
                .build()) {
      String topic = newTopic("server-gone");
      support.join(
          shortWait.subscribe(
              SubscriptionSpec.ofTopic(topic, "sub", SubscriptionMode.SHARED, STR)));
      BusProducer<String> producer =
          support.join(shortWait.createProducer(ProducerSpec.of(topic, STR)));
      support.join(producer.send(OutgoingMessage.of("k", "before", Map.of())));
      own.kill();

      CompletableFuture<?> sent = producer.send(OutgoingMessage.of("k", "after", Map.of()));

      assertThat(sent)
          .failsWithin(support.patience())
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("did not confirm within 1000 ms")
          .withMessageContaining("may or may not have been delivered");
      assertThat(shortWait.routingConfirmations().unconfirmed()).isZero();
    }
  }

  @Test
  void aMessageSentFromAnotherConnectionRightAfterTheSubscribeCompletedIsDelivered()
      throws Exception {
    // The subscription must be known to the server, not only queued to it, when the subscribe
    // completes: a publisher on another connection would otherwise be told "no responders".
    try (NatsMessageBus other = NatsMessageBus.builder().url(natsUrl).mode(NatsMode.CORE).build()) {
      BusTestSupport otherSupport = BusTestSupport.on(other);
      for (int i = 0; i < 50; i++) {
        String topic = newTopic("just-subscribed-" + i);
        BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);

        otherSupport.join(
            otherSupport.producer(topic).send(OutgoingMessage.of("k", "m" + i, Map.of())));

        assertThat(support.receive(consumer).value()).isEqualTo("m" + i);
      }
    }
  }

  @Test
  void aMessageWithADeliveryTimeIsRefusedNamingTheMode() {
    String topic = newTopic("scheduled");
    support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    long deliverAt = System.currentTimeMillis() + 60_000;

    CompletableFuture<?> sent =
        producer.send(new OutgoingMessage<>("k", "later", Map.of(), deliverAt, Map.of()));

    assertThatThrownBy(() -> support.join(sent))
        .hasCauseInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("no delayed delivery")
        .hasMessageContaining("NatsMode.JETSTREAM");
  }

  @Test
  void aSendCompletesOnceRoutedAndTheSubscriberGetsItsKeyPropertiesAndPublishTime() {
    String topic = newTopic("delivered");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);
    long before = System.currentTimeMillis();

    support.join(
        producer.send(OutgoingMessage.of("id 1", "hello", Map.of("replyTopic", "r \u00e9"))));
    IncomingMessage<String> message = support.receive(consumer);

    assertThat(message.key()).isEqualTo("id 1");
    assertThat(message.value()).isEqualTo("hello");
    assertThat(message.properties()).containsExactly(Map.entry("replyTopic", "r \u00e9"));
    assertThat(message.publishTime()).isBetween(before, System.currentTimeMillis());
    assertThat(message.redeliveryCount()).isZero();
    assertThat(message.acknowledge()).isCompleted();
  }

  @Test
  void aMessageTravelsWithoutNatsHeadersWithItsKeyAndPropertiesInTheEnvelope() throws Exception {
    String topic = newTopic("envelope");
    try (Connection plain = Nats.connect(natsUrl)) {
      Subscription subscription = plain.subscribe(NatsNames.subject(topic));
      plain.flush(support.patience());

      support.join(
          support.producer(topic).send(OutgoingMessage.of("id 1", "hello", Map.of("p", "v"))));
      Message message = subscription.nextMessage(support.patience());

      assertThat(message).as("the message, as a plain NATS subscriber sees it").isNotNull();
      assertThat(message.hasHeaders()).isFalse();
      assertThat(Arrays.copyOf(message.getData(), CoreEnvelope.MARK.length))
          .containsExactly(CoreEnvelope.MARK);
      CoreEnvelope.Opened opened = CoreEnvelope.read(message, 0);
      assertThat(opened.fields().key()).isEqualTo("id 1");
      assertThat(opened.fields().properties()).containsExactly(Map.entry("p", "v"));
      assertThat(new String(opened.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void whatAnotherNatsClientPublishesWithOrWithoutHeadersIsHandedOver() throws Exception {
    String topic = newTopic("foreign");
    BusConsumer<String> consumer = support.subscribe(topic, "sub", SubscriptionMode.SHARED);
    try (Connection plain = Nats.connect(natsUrl)) {
      String subject = NatsNames.subject(topic);
      Headers headers = new Headers().put("rpc-key", "k%201").put("p-replyTopic", "replies");

      plain.publish(subject, "no envelope".getBytes(StandardCharsets.UTF_8));
      plain.publish(subject, headers, "with headers".getBytes(StandardCharsets.UTF_8));
      plain.flush(support.patience());

      IncomingMessage<String> bare = support.receive(consumer);
      assertThat(bare.value()).isEqualTo("no envelope");
      assertThat(bare.key()).isNull();
      assertThat(bare.properties()).isEmpty();
      IncomingMessage<String> withHeaders = support.receive(consumer);
      assertThat(withHeaders.value()).isEqualTo("with headers");
      assertThat(withHeaders.key()).isEqualTo("k 1");
      assertThat(withHeaders.properties()).containsExactly(Map.entry("replyTopic", "replies"));
    }
  }

  @Test
  void everySubscriptionGetsEveryMessageAndConsumersOfOneShareThem() {
    String topic = newTopic("fan-out");
    BusConsumer<String> first = support.subscribe(topic, "first", SubscriptionMode.SHARED);
    BusConsumer<String> second = support.subscribe(topic, "second", SubscriptionMode.SHARED);
    BusProducer<String> producer = support.producer(topic);

    support.join(producer.send(OutgoingMessage.of("k", "to both", Map.of())));

    assertThat(support.receive(first).value()).isEqualTo("to both");
    assertThat(support.receive(second).value()).isEqualTo("to both");
  }

  @Test
  void aSecondConsumerOfAnExclusiveSubscriptionOnTheSameBusIsRefused() {
    String topic = newTopic("exclusive");
    support.subscribe(topic, "only-one", SubscriptionMode.EXCLUSIVE);

    CompletableFuture<BusConsumer<String>> second =
        bus.subscribe(SubscriptionSpec.ofTopic(topic, "only-one", SubscriptionMode.SHARED, STR));

    assertThatThrownBy(() -> support.join(second))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only-one")
        .hasMessageContaining(topic)
        .hasMessageContaining("exclusive");
  }

  @Test
  void aCallWithoutAnyServerFailsAtOnceWithNoRespondersInsteadOfWaitingForItsDeadline()
      throws Exception {
    String topic = newTopic("no-server");
    try (PulsarRpcClient<String, String> client =
        PulsarRpcClient.builder(STR, STR)
            .requestTopic(topic)
            .replyTopic(newTopic("replies"))
            .replySubscription("client")
            .replyTimeout(Duration.ofMinutes(5))
            .build(bus)) {
      long start = System.nanoTime();

      CompletableFuture<String> call = client.requestAsync("nobody-home", "hello?");

      assertThatThrownBy(() -> support.join(call))
          .hasCauseInstanceOf(PulsarRpcClientException.NoRespondersException.class)
          .hasMessageContaining("no responders");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
      assertThat(client.pendingRequestSize()).isZero();
    }
  }
}
