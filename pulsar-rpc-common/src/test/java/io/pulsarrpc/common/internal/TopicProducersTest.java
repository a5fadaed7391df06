package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicProducersTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void close() {
    bus.close();
  }

  private BusConsumer<String> consumer(String topic) throws Exception {
    return bus.subscribe(
            SubscriptionSpec.ofTopic(topic, "s", SubscriptionMode.SHARED, Schema.STRING))
        .get(10, TimeUnit.SECONDS);
  }

  private static OutgoingMessage<String> message(String key) {
    return OutgoingMessage.of(key, key, Map.of());
  }

  @Test
  void messagesSentWhileTheProducerIsBeingCreatedReachTheBusInOrder() throws Exception {
    CompletableFuture<Void> creationMayFinish = new CompletableFuture<>();
    MessageBus slowToCreate = slowToCreateProducers(bus, creationMayFinish);
    TopicProducers<String> producers =
        new TopicProducers<>(slowToCreate, Schema.STRING, Map.of(), Duration.ofMinutes(1));
    BusConsumer<String> consumer = consumer("t");

    List<CompletableFuture<MessageId>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(producers.send("t", message(Integer.toString(i))));
    }
    assertThat(sent).as("nothing sent before the producer exists").noneMatch(f -> f.isDone());
    creationMayFinish.complete(null);
    sent.add(producers.send("t", message("100")));

    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    for (int i = 0; i <= 100; i++) {
      assertThat(consumer.receive().get(10, TimeUnit.SECONDS).key()).isEqualTo(Integer.toString(i));
    }
    producers.closeAsync().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsAfterCloseFailWithoutCreatingAProducer() throws Exception {
    TopicProducers<String> producers =
        new TopicProducers<>(bus, Schema.STRING, Map.of(), Duration.ofMinutes(1));
    producers.closeAsync().get(10, TimeUnit.SECONDS);

    assertThat(producers.send("t", message("1")))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(producers.size()).isZero();
  }

  @Test
  void aProducerThatCannotBeCreatedFailsItsMessagesAndIsTriedAgainOnTheNext() throws Exception {
    TopicProducers<String> producers =
        new TopicProducers<>(bus, Schema.STRING, Map.of("unknown", 1), Duration.ofMinutes(1));

    assertThat(producers.send("t", message("1"))).failsWithin(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> producers.size() == 0);
    assertThat(producers.send("t", message("2"))).failsWithin(Duration.ofSeconds(10));
    producers.closeAsync().get(10, TimeUnit.SECONDS);
  }

  /** {@code bus}, except that a producer is created only once {@code creationMayFinish} is. */
  private static MessageBus slowToCreateProducers(
      MessageBus bus, CompletableFuture<Void> creationMayFinish) {
    return (MessageBus)
        Proxy.newProxyInstance(
            MessageBus.class.getClassLoader(),
            new Class<?>[] {MessageBus.class},
            (proxy, method, args) ->
                method.getName().equals("createProducer")
                    ? creationMayFinish.thenComposeAsync(
                        ignored -> bus.createProducer((ProducerSpec<?>) args[0]))
                    : method.invoke(bus, args));
  }
}
