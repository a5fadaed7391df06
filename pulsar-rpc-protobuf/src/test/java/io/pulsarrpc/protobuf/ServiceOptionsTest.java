package io.pulsarrpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulsarrpc.client.PulsarRpcClientBuilder;
import io.pulsarrpc.client.SubscribeOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceOptionsTest {

  @Test
  void everyClientGetsItsOwnRandomIdByDefault() {
    assertThat(ServiceClientOptions.defaults().clientId())
        .isNotEqualTo(ServiceClientOptions.defaults().clientId());
  }

  @Test
  void claimWindowDefaultsToTheCoreClientsAndCanBeSet() {
    assertThat(ServiceClientOptions.defaults().claimWindow())
        .isEqualTo(PulsarRpcClientBuilder.DEFAULT_CLAIM_WINDOW);
    assertThat(
            ServiceClientOptions.builder()
                .claimWindow(Duration.ofSeconds(20))
                .build()
                .claimWindow())
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void serverSubscriptionDefaultsToTheNamingRuleAndCanBeSet() {
    assertThat(ServiceServerOptions.defaults().serverSubscription("shop.Orders"))
        .isEqualTo("rpc.shop.Orders");
    assertThat(
            ServiceServerOptions.builder()
                .serverSubscription("blue")
                .build()
                .serverSubscription("shop.Orders"))
        .isEqualTo("blue");
  }

  @Test
  void settersRefuseBadValuesNamingTheSetting() {
    assertThatThrownBy(() -> ServiceClientOptions.builder().replyTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replyTimeout");
    assertThatThrownBy(() -> ServiceClientOptions.builder().claimWindow(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claimWindow");
    assertThatThrownBy(() -> ServiceClientOptions.builder().clientId("a b"))
        .hasMessageContaining("clientId");
    assertThatThrownBy(() -> ServiceServerOptions.builder().maxConcurrentRequests(0))
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> ServiceServerOptions.builder().naming(null))
        .hasMessageContaining("naming");
    assertThatThrownBy(
            () -> ServiceServerOptions.builder().shutdownGracePeriod(Duration.ofMillis(-1)))
        .hasMessageContaining("shutdownGracePeriod");
    assertThatThrownBy(() -> ServiceServerOptions.builder().controlToken("two\nlines"))
        .hasMessage("controlToken must be non-blank text without line breaks");
  }

  @Test
  void controlTokenIsOffByDefaultAndZeroGraceClosesWithoutWaiting() {
    assertThat(ServiceServerOptions.defaults().controlToken()).isNull();
    ServiceServerOptions options =
        ServiceServerOptions.builder()
            .controlToken("s3cret")
            .shutdownGracePeriod(Duration.ZERO)
            .build();
    assertThat(options.controlToken()).isEqualTo("s3cret");
    assertThat(options.shutdownGracePeriod()).isZero();
  }

  @Test
  void queueSubscriptionsWithoutGroupGetTheDefaultGroup() {
    assertThat(ServiceClientCore.queue(SubscribeOptions.defaults()).queue())
        .isEqualTo(ServiceNaming.DEFAULT_QUEUE_GROUP);
    assertThat(ServiceClientCore.queue(SubscribeOptions.defaults().withQueue("mine")).queue())
        .isEqualTo("mine");
  }
}
