package io.pulsarrpc.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlMessagesTest {

  @Test
  void serverInspectionSurvivesTheControlTopicEncoding() {
    ServerInspection inspection =
        new ServerInspection(
            "id-1",
            List.of("orders", "orders.topic.eu"),
            "workers",
            true,
            List.of("single", "multi"),
            1,
            3,
            1_000L,
            5_000L,
            new ServerInspection.CallCounters(7, 2, 1, 1),
            List.of(
                new ServerInspection.InFlightCall(
                    "c-1", "orders", "single", 4_000L, 9_000L, "handler-1"),
                new ServerInspection.InFlightCall("c-2", "orders", "multi", 4_500L, 9_500L, null)),
            null);

    byte[] encoded = ControlMessages.ANSWER.encode(inspection);

    assertThat(ControlMessages.ANSWER.decode(encoded)).isEqualTo(inspection);
  }

  @Test
  void answerOfAServerWithoutConnectionStateReadsNotConnected() {
    byte[] older =
        "{\"serverId\":\"id-1\",\"subscription\":\"workers\",\"startedAtMillis\":1000}"
            .getBytes(StandardCharsets.UTF_8);

    ServerInspection decoded = ControlMessages.ANSWER.decode(older);

    assertThat(decoded.connected()).isFalse();
    assertThat(decoded.subscription()).isEqualTo("workers");
  }

  @Test
  void inspectionRequestSurvivesTheControlTopicEncoding() {
    InspectionRequest request = new InspectionRequest(true);

    assertThat(ControlMessages.REQUEST.decode(ControlMessages.REQUEST.encode(request)))
        .isEqualTo(request);
  }
}
