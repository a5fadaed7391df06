package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.IncomingMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.junit.jupiter.api.Test;

class IncomingRequestTest {

  private static final long PUBLISHED = 1_000_000L;

  @Test
  void theDeadlineIsThePublishTimePlusTheTimeout() {
    IncomingRequest request = read("id", props("replyTopic", "r", "requestTimeoutInMillis", "500"));

    assertThat(request.problem()).isNull();
    assertThat(request.correlationId()).isEqualTo("id");
    assertThat(request.replyTopic()).isEqualTo("r");
    assertThat(request.deadline()).isEqualTo(PUBLISHED + 500);
  }

  @Test
  void aScheduledRequestsDeadlineCountsFromItsDeliveryTime() {
    IncomingRequest request =
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
    IncomingRequest request =
        read(
            "id",
            props("replyTopic", "r", "requestTimeoutInMillis", Long.toString(Long.MAX_VALUE)));

    assertThat(request.problem()).isNull();
    assertThat(request.deadline()).isEqualTo(Long.MAX_VALUE);
  }

  private static Map<String, String> props(String... keysAndValues) {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  private static IncomingRequest read(String key, Map<String, String> properties) {
    return IncomingRequest.read(new HeaderOnlyMessage(key, properties));
  }

  /** A message with a key and properties only: all that reading a request looks at. */
  private record HeaderOnlyMessage(String key, Map<String, String> properties)
      implements IncomingMessage<String> {

    @Override
    public String topic() {
      return "requests";
    }

    @Override
    public String value() {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] data() {
      throw new UnsupportedOperationException();
    }

    @Override
    public MessageId id() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long publishTime() {
      return PUBLISHED;
    }

    @Override
    public int redeliveryCount() {
      return 0;
    }

    @Override
    public CompletableFuture<Void> acknowledge() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void negativeAcknowledge() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Message<String> asPulsarMessage() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Consumer<String> pulsarConsumer() {
      return null;
    }
  }
}
