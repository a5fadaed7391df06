package io.pulsarrpc.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.bus.MessageBus;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

class PulsarRpcClientBuilderTest {

  private final MessageBus bus = new UnusableBus();

  private PulsarRpcClientBuilder<String, String> complete() {
    return PulsarRpcClient.builder(Schema.STRING, Schema.STRING)
        .requestTopic("requests")
        .replyTopic("replies")
        .replySubscription("client-1");
  }

  @Test
  void buildNamesEveryMissingSetting() {
    assertThatThrownBy(() -> PulsarRpcClient.builder(Schema.STRING, Schema.STRING).build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTopic is not set")
        .hasMessageContaining("replyTopic is not set")
        .hasMessageContaining("replySubscription is not set");
  }

  @Test
  void buildRefusesMissingSchemas() {
    assertThatThrownBy(
            () ->
                PulsarRpcClient.<String, String>builder(null, null)
                    .requestTopic("requests")
                    .replyTopic("replies")
                    .replySubscription("s")
                    .build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestSchema is null")
        .hasMessageContaining("replySchema is null");
  }

  @Test
  void aReplyTopicOutsideTheReplyTopicsPatternIsRefused() {
    assertThatThrownBy(() -> complete().replyTopicsPattern(Pattern.compile("other-.*")).build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyTopic replies does not match replyTopicsPattern other-.*");
  }

  @Test
  void theReplyTopicMustDifferFromTheRequestTopic() {
    assertThatThrownBy(() -> complete().replyTopic("requests").build(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyTopic equals requestTopic");
  }

  @Test
  void setterRejectBadSingleValues() {
    PulsarRpcClientBuilder<String, String> builder = complete();
    assertThatThrownBy(() -> builder.requestTopic(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTopic");
    assertThatThrownBy(() -> builder.replyTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyTimeout must be positive");
    assertThatThrownBy(() -> builder.patternAutoDiscoveryInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("patternAutoDiscoveryInterval");
    assertThatThrownBy(() -> builder.maxPendingRequests(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPendingRequests");
    assertThatThrownBy(() -> builder.requestCallBack(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestCallBack");
    assertThatThrownBy(() -> builder.requestProducerConfig(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestProducerConfig");
    assertThatThrownBy(() -> builder.intercept(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interceptor");
  }

  @Test
  void anApiVersionBelowOneIsRefusedByBothClientBuilders() {
    assertThatThrownBy(() -> complete().apiVersion(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiVersion must be at least 1, got 0");
    assertThatThrownBy(
            () -> PulsarRpcStreamClient.builder(Schema.STRING, Schema.STRING).apiVersion(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiVersion must be at least 1, got -1");
  }

  @Test
  void aNullBusOrClientIsRefused() {
    assertThatThrownBy(() -> complete().build((MessageBus) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bus must not be null");
    assertThatThrownBy(() -> complete().build((org.apache.pulsar.client.api.PulsarClient) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pulsarClient must not be null");
  }
}
