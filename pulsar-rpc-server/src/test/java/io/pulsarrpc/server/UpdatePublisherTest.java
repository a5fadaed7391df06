package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.client.PulsarRpcSubscriber;
import io.pulsarrpc.client.SubscribeOptions;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpdatePublisherTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private final PulsarRpcPublisher<Integer> publisher = publisher();

  private PulsarRpcPublisher<Integer> publisher() {
    try {
      return PulsarRpcPublisher.builder(Schema.INT32).updateTopic("progress").build(bus);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void close() {
    publisher.close();
    bus.close();
  }

  @Test
  void anUpdateIsAKeyedMessageOfKindUpdateOnTheUpdateTopic() throws Exception {
    BusConsumer<Integer> consumer =
        bus.subscribe(
                SubscriptionSpec.ofTopic("progress", "s", SubscriptionMode.SHARED, Schema.INT32))
            .get(10, TimeUnit.SECONDS);

    publisher.publish(7);

    IncomingMessage<Integer> message = consumer.receive().get(10, TimeUnit.SECONDS);
    assertThat(message.value()).isEqualTo(7);
    assertThat(message.key()).isNotBlank();
    assertThat(message.properties()).isEqualTo(Map.of(WireProperties.KIND, "update"));
  }

  @Test
  void anUpdateWithATopicGoesToTheTopicsBusTopicAndNamesIt() throws Exception {
    BusConsumer<Integer> consumer =
        bus.subscribe(
                SubscriptionSpec.ofTopic(
                    "progress.topic.eu", "s", SubscriptionMode.SHARED, Schema.INT32))
            .get(10, TimeUnit.SECONDS);

    publisher.publish("eu", 8);

    IncomingMessage<Integer> message = consumer.receive().get(10, TimeUnit.SECONDS);
    assertThat(message.value()).isEqualTo(8);
    assertThat(message.properties()).containsEntry(WireProperties.TOPIC, "eu");
  }

  @Test
  void updatesToOneTopicArriveInPublishOrderFromTheFirstOn() throws Exception {
    try (PulsarRpcSubscriber<Integer> subscriber =
        PulsarRpcSubscriber.builder(Schema.INT32).updateTopic("progress").build(bus)) {
      List<Integer> received = new CopyOnWriteArrayList<>();
      subscriber.subscribe(received::add, SubscribeOptions.defaults().withTopic("eu"));

      List<CompletableFuture<Void>> published = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        published.add(publisher.publishAsync("eu", i));
      }

      assertThat(CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)))
          .succeedsWithin(PATIENCE);
      await().atMost(PATIENCE).until(() -> received.size() == 500);
      assertThat(received).isEqualTo(IntStream.range(0, 500).boxed().toList());
    }
  }

  @Test
  void publishingWithoutSubscribersSucceeds() {
    assertThat(publisher.publishAsync(1)).succeedsWithin(PATIENCE);
    assertThat(publisher.publishAsync("nobody", 2)).succeedsWithin(PATIENCE);
  }

  @Test
  void publishingAfterCloseFailsWithCanceled() {
    publisher.close();

    assertThatThrownBy(() -> publisher.publish(1))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELED));
  }

  @Test
  void invalidArgumentsAreRefusedAtOnce() {
    assertThatThrownBy(() -> publisher.publishAsync(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> publisher.publishAsync("no spaces", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic");
  }

  @Test
  void buildNamesEveryMissingSettingAndRefusesProducerSettingsTheBusDoesNotKnow() {
    assertThatThrownBy(() -> PulsarRpcPublisher.builder((Schema<String>) null).build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("updateSchema is null")
        .hasMessageContaining("updateTopic is not set");
    assertThatThrownBy(
            () ->
                PulsarRpcPublisher.builder(Schema.STRING)
                    .updateTopic("t")
                    .producerConfig(Map.of("batchingEnabled", false))
                    .build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchingEnabled");
  }
}
