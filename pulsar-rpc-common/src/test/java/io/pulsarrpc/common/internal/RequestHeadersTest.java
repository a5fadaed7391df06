package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {

  private static final long PUBLISHED = 1_000_000L;

  @Test
  void theDeadlineIsThePublishTimePlusTheTimeout() {
    RequestHeaders request = read("id", props("replyTopic", "r", "requestTimeoutInMillis", "500"));

    assertThat(request.problem()).isNull();
    assertThat(request.correlationId()).isEqualTo("id");
    assertThat(request.replyTopic()).isEqualTo("r");
    assertThat(request.deadline()).isEqualTo(PUBLISHED + 500);
  }

  @Test
  void aScheduledRequestsDeadlineCountsFromItsDeliveryTime() {
    RequestHeaders request =
        read(
            "id",
            props("replyTopic", "r", "requestTimeoutInMillis", "500", "deliverAt", "5000000"));

    assertThat(request.deadline()).isEqualTo(5_000_500L);
    assertThat(request.deliverAtProperty()).isEqualTo("5000000");
  }

  @Test
  void missingAndGarbagePropertiesAreNamed() {
    assertThat(read(null, props("replyTopic", "r", "requestTimeoutInMillis", "5")).problem())
        .contains("no key");
    assertThat(read("id", props("requestTimeoutInMillis", "5")).problem())
        .contains("replyTopic is missing");
    assertThat(read("id", props("replyTopic", " ", "requestTimeoutInMillis", "5")).problem())
        .contains("replyTopic is missing");
    assertThat(read("id", props("replyTopic", "r")).problem())
        .contains("requestTimeoutInMillis is missing");
    assertThat(read("id", props("replyTopic", "r", "requestTimeoutInMillis", "abc")).problem())
        .contains("requestTimeoutInMillis is not a whole number: 'abc'");
    assertThat(read("id", props("replyTopic", "r", "requestTimeoutInMillis", "-3")).problem())
        .contains("must be positive");
    assertThat(
            read("id", props("replyTopic", "r", "requestTimeoutInMillis", "5", "deliverAt", "x"))
                .problem())
        .contains("deliverAt is not a whole number");
  }

  @Test
  void aHugeTimeoutMeansNoDeadlineRatherThanOverflow() {
    RequestHeaders request =
        read(
            "id",
            props("replyTopic", "r", "requestTimeoutInMillis", Long.toString(Long.MAX_VALUE)));

    assertThat(request.problem()).isNull();
    assertThat(request.deadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void whatTheClientWritesTheServerReadsBack() {
    Map<String, String> properties =
        RequestHeaders.write("replies", "client-1", 500, 5_000_000L, Map.of("tenant", "acme"));

    RequestHeaders request = RequestHeaders.read("id", properties, PUBLISHED);

    assertThat(request.problem()).isNull();
    assertThat(request.replyTopic()).isEqualTo("replies");
    assertThat(request.replySubscription()).isEqualTo("client-1");
    assertThat(request.deliverAt()).isEqualTo(5_000_000L);
    assertThat(request.deadline()).isEqualTo(5_000_500L);
    assertThat(request.metadata()).containsExactly(Map.entry("tenant", "acme"));
  }

  @Test
  void aRequestNotScheduledCarriesTheProposalsPropertiesAndOurReplySubscriptionOnly() {
    assertThat(RequestHeaders.write("replies", "client-1", 500, 0, Map.of()))
        .containsOnly(
            Map.entry("replyTopic", "replies"),
            Map.entry("requestTimeoutInMillis", "500"),
            Map.entry("rpc-reply-subscription", "client-1"));
  }

  @Test
  void aVersionedRequestCarriesItsVersionForTheServerToCheck() {
    Map<String, String> properties =
        RequestHeaders.write(
            "replies", "client-1", 500, 0, Map.of(), CallKind.SINGLE, false, null, 2);

    assertThat(properties).containsEntry("rpc-api-version", "2");
    assertThat(RequestHeaders.read("id", properties, PUBLISHED).apiVersion()).isEqualTo("2");
  }

  @Test
  void aRequestWithoutVersionCarriesNone() {
    Map<String, String> properties =
        RequestHeaders.write(
            "replies", "client-1", 500, 0, Map.of(), CallKind.MULTI, false, null, 0);

    assertThat(properties).doesNotContainKey("rpc-api-version");
    assertThat(RequestHeaders.read("id", properties, PUBLISHED).apiVersion()).isNull();
  }

  private static Map<String, String> props(String... keysAndValues) {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  private static RequestHeaders read(String key, Map<String, String> properties) {
    return RequestHeaders.read(key, properties, PUBLISHED);
  }
}
