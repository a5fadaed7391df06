package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScheduledRequestArgumentsTest {

  private final InMemoryMessageBus memory = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    memory.close();
  }

  private PulsarRpcClient<String, String> clientOver(MessageBus bus) throws Exception {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic("requests")
        .replyTopic("replies")
        .replySubscription("client")
        .build(bus);
  }

  @Test
  void badTimesAndDelaysAreRejectedAtOnce() throws Exception {
    try (PulsarRpcClient<String, String> client = clientOver(memory)) {
      assertThatThrownBy(() -> client.requestAtAsync("id", "v", 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timestamp");
      assertThatThrownBy(() -> client.requestAfterAsync("id", "v", -1, TimeUnit.SECONDS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("delay");
      assertThatThrownBy(() -> client.requestAfterAsync("id", "v", 1, null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(client.pendingRequestSize()).isZero();
    }
  }

  @Test
  void aBusThatCannotDelayDeliveryRefusesScheduledCallsAtOnce() throws Exception {
    try (PulsarRpcClient<String, String> client = clientOver(new WithoutDelayedDelivery(memory))) {
      assertThatThrownBy(() -> client.requestAfterAsync("id", "v", 1, TimeUnit.MINUTES))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("cannot delay delivery");
      assertThat(client.pendingRequestSize()).isZero();
    }
  }

  @Test
  void aTimeThatIsNotInTheFutureSendsTheRequestAtOnce() throws Exception {
    try (PulsarRpcClient<String, String> client = clientOver(memory)) {
      CompletableFuture<String> call =
          client.requestAtAsync("past", "v", System.currentTimeMillis() - 60_000);

      assertThat(call).isNotDone();
      assertThat(client.pendingRequestSize()).isEqualTo(1);
    }
  }

  /** The in-memory bus, claiming it cannot delay delivery. */
  private record WithoutDelayedDelivery(MessageBus delegate) implements MessageBus {
    @Override
    public String name() {
      return "undelayed";
    }

    @Override
    public boolean supportsDelayedDelivery() {
      return false;
    }

    @Override
    public boolean supportsTopicPatterns() {
      return delegate.supportsTopicPatterns();
    }

    @Override
    public boolean isDurable() {
      return delegate.isDurable();
    }

    @Override
    public void checkProducerConfig(Map<String, Object> config) {
      delegate.checkProducerConfig(config);
    }

    @Override
    public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
      return delegate.createProducer(spec);
    }

    @Override
    public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
      return delegate.subscribe(spec);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
