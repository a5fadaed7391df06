package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

class PulsarRpcServerBuilderTest {

  private final MessageBus bus =
      new MessageBus() {
        @Override
        public String name() {
          return "topicless";
        }

        @Override
        public boolean supportsDelayedDelivery() {
          return false;
        }

        @Override
        public boolean supportsTopicPatterns() {
          return false;
        }

        @Override
        public boolean isDurable() {
          return true;
        }

        @Override
        public void checkProducerConfig(Map<String, Object> config) {
          throw new AssertionError("validation should fail first");
        }

        @Override
        public <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
          throw new AssertionError("validation should fail first");
        }

        @Override
        public <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
          throw new AssertionError("validation should fail first");
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
          return CompletableFuture.completedFuture(null);
        }
      };

  @Test
  void buildNamesEveryMissingSetting() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .build(bus, (RequestHandler<String, String>) null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither requestTopic nor requestTopicsPattern is set")
        .hasMessageContaining("requestSubscription is not set")
        .hasMessageContaining("requestFunction is null")
        .hasMessageContaining("rollBackFunction is null");
  }

  @Test
  void aTopicAndAPatternTogetherAreContradictory() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopic("requests")
                    .requestTopicsPattern(Pattern.compile("requests-.*"))
                    .requestSubscription("s")
                    .build(bus, v -> CompletableFuture.completedFuture(v), (id, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both requestTopic and requestTopicsPattern are set");
  }

  @Test
  void aPatternOnABusWithoutPatternsIsRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopicsPattern(Pattern.compile("requests-.*"))
                    .requestSubscription("s")
                    .build(bus, v -> CompletableFuture.completedFuture(v), (id, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topicless bus does not support patterns");
  }

  @Test
  void affinityWithAPatternIsRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopicsPattern(Pattern.compile("requests-.*"))
                    .requestSubscription("s")
                    .affinity(value -> 1.0)
                    .build(bus, v -> CompletableFuture.completedFuture(v), (id, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("affinity is set with requestTopicsPattern")
        .hasMessageContaining("set requestTopic");
  }

  @Test
  void apiVersionsWhoseMinimumIsAboveCurrentAreRefusedAtBuildWithTheOtherProblems() {
    assertThatThrownBy(
            () ->
                PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                    .requestTopic("requests")
                    .apiVersions(3, 2)
                    .build(bus, v -> CompletableFuture.completedFuture(v), (id, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestSubscription is not set")
        .hasMessageContaining(
            "apiVersions minimum 3 is above current 2: a server supports the versions from minimum"
                + " to current");
  }

  @Test
  void streamServerApiVersionsAreCheckedAsTheServers() {
    PulsarRpcStreamServerBuilder<String, String> builder =
        PulsarRpcStreamServer.builder(Schema.STRING, Schema.STRING)
            .requestTopic("streams")
            .subscription("s")
            .handler(stream -> {});
    assertThatThrownBy(() -> builder.apiVersions(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiVersions minimum must be at least 1, got 0");
    assertThatThrownBy(() -> builder.apiVersions(2, 1).build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot build PulsarRpcStreamServer")
        .hasMessageContaining("apiVersions minimum 2 is above current 1");
  }

  @Test
  void settersRejectBadSingleValues() {
    PulsarRpcServerBuilder<String, String> builder =
        PulsarRpcServer.builder(Schema.STRING, Schema.STRING);
    assertThatThrownBy(() -> builder.maxConcurrentRequests(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> builder.shutdownGracePeriod(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownGracePeriod");
    assertThatThrownBy(() -> builder.replyProducerIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyProducerIdleTimeout");
    assertThatThrownBy(() -> builder.requestSubscription(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestSubscription");
    assertThatThrownBy(() -> builder.replyTopicAllowList(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyTopicAllowList");
    assertThatThrownBy(() -> builder.handlerExecutor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handlerExecutor");
    assertThatThrownBy(() -> builder.replyProducerConfig(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyProducerConfig");
    assertThatThrownBy(() -> builder.maxRequestSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRequestSize");
    assertThatThrownBy(() -> builder.intercept(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interceptor");
    assertThatThrownBy(() -> builder.deduplication(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deduplication window must be positive");
    assertThatThrownBy(() -> builder.deduplication(Duration.ofMinutes(1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deduplication store must not be null");
    assertThatThrownBy(() -> builder.affinity(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("affinity must not be null");
    assertThatThrownBy(() -> builder.apiVersions(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiVersions current must be at least 1, got 0");
  }

  @Test
  void replyProducerSettingsTheBusRefusesAreRefusedAtBuild() {
    try (InMemoryMessageBus memory = InMemoryMessageBus.create()) {
      assertThatThrownBy(
              () ->
                  PulsarRpcServer.builder(Schema.STRING, Schema.STRING)
                      .requestTopic("requests")
                      .requestSubscription("s")
                      .replyProducerConfig(Map.of("batchingEnabled", false))
                      .build(memory, v -> CompletableFuture.completedFuture(v), (id, v) -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("replyProducerConfig")
          .hasMessageContaining("batchingEnabled");
    }
  }
}
