package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.CallTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestPublisherTest {

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void close() {
    bus.close();
  }

  private RequestPublisher<String> publisher(Duration idleTimeout) throws Exception {
    ProducerSpec<String> spec = new ProducerSpec<>("requests", Schema.STRING, Map.of());
    return new RequestPublisher<>(
        bus,
        bus.createProducer(spec).get(10, TimeUnit.SECONDS),
        spec,
        "replies",
        "client",
        0,
        idleTimeout);
  }

  private static ClientCall<String> call(String id, String topic) {
    return new ClientCall<>(
        id, "v", Duration.ofSeconds(30), Map.of(), Map.of(), 0, topic, null, false);
  }

  @Test
  void aTopicsProducerIsClosedOnceIdleAndMadeAgainOnTheNextCall() throws Exception {
    RequestPublisher<String> publisher = publisher(Duration.ofMillis(200));
    BusConsumer<String> eu =
        bus.subscribe(
                SubscriptionSpec.ofTopic(
                    CallTopics.requestTopic("requests", "eu"),
                    "server",
                    SubscriptionMode.SHARED,
                    Schema.STRING))
            .get(10, TimeUnit.SECONDS);

    publisher.publish(call("1", "eu"), CallKind.SINGLE).get(10, TimeUnit.SECONDS);
    assertThat(publisher.topicProducerCount()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> publisher.topicProducerCount() == 0);
    publisher.publish(call("2", "eu"), CallKind.SINGLE).get(10, TimeUnit.SECONDS);

    assertThat(eu.receive().get(10, TimeUnit.SECONDS).key()).isEqualTo("1");
    assertThat(eu.receive().get(10, TimeUnit.SECONDS).key()).isEqualTo("2");
    publisher.closeAsync().get(10, TimeUnit.SECONDS);
    assertThat(publisher.topicProducerCount()).isZero();
  }
}
