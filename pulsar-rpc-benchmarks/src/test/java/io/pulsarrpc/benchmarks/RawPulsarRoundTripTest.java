package io.pulsarrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pulsarrpc.common.WireProperties;
import org.junit.jupiter.api.Test;

class RawPulsarRoundTripTest {

  @Test
  void theResponderWorkKeepsTheThreadBusyForAtLeastItsTime() {
    long started = System.nanoTime();

    RawPulsarRoundTrip.busy(3_000_000);

    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(3_000_000);
  }

  @Test
  void withRpcPropertiesTheRequestCarriesThoseOfAPlainCall() {
    assertThat(RawPulsarRoundTrip.requestProperties("persistent://public/default/r"))
        .containsOnly(
            entry(WireProperties.REPLY_TOPIC, "persistent://public/default/r"),
            entry(WireProperties.REQUEST_TIMEOUT_IN_MILLIS, "30000"),
            entry(WireProperties.REPLY_SUBSCRIPTION, "raw-caller"));
  }

  @Test
  void withRpcPropertiesTheReplyNamesItsServerAndEchoesTheReplySubscription() {
    assertThat(RawPulsarRoundTrip.replyProperties("raw-caller"))
        .containsOnly(
            entry(WireProperties.SERVER_SUB, "raw-responder"),
            entry(WireProperties.REPLY_SUBSCRIPTION, "raw-caller"));
  }
}
