package io.pulsarrpc.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.WireProperties;
import java.util.HashMap;
import java.util.Map;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamFramesTest {

  private static final StreamFrames.Sender CLIENT = new StreamFrames.Sender("c1", "inbox-c1");

  private final MessageBus bus = InMemoryMessageBus.create();

  @AfterEach
  void closeBus() {
    bus.close();
  }

  /** The frame as a peer reads it after the bus carried it. */
  private StreamFrame carried(OutgoingMessage<byte[]> frame) {
    var consumer = bus.subscribe(SubscriptionSpec.temporary("frames", Schema.BYTES)).join();
    bus.createProducer(ProducerSpec.of("frames", Schema.BYTES)).join().send(frame).join();
    IncomingMessage<byte[]> message = consumer.receive().join();
    return StreamFrames.read(message);
  }

  @Test
  void openCarriesEverythingTheServerNeeds() {
    StreamFrame open =
        carried(
            StreamFrames.open(
                "s1", CLIENT, 64, 5000, 10000, 60000, 3000, "eu", Map.of("a", "b"), 3));

    assertThat(open.type()).isEqualTo(StreamFrame.Type.OPEN);
    assertThat(open.streamId()).isEqualTo("s1");
    assertThat(open.sender()).isEqualTo("c1");
    assertThat(open.senderInbox()).isEqualTo("inbox-c1");
    assertThat(open.window()).isEqualTo(64);
    assertThat(open.heartbeatMillis()).isEqualTo(5000);
    assertThat(open.openTimeoutMillis()).isEqualTo(10000);
    assertThat(open.deadlineMillis()).isEqualTo(60000);
    assertThat(open.idleMillis()).isEqualTo(3000);
    assertThat(open.topic()).isEqualTo("eu");
    assertThat(open.metadata()).containsExactly(Map.entry("a", "b"));
    assertThat(open.apiVersion()).isEqualTo("3");
  }

  @Test
  void openOfAClientWithoutVersionCarriesNone() {
    StreamFrame open =
        carried(StreamFrames.open("s1", CLIENT, 64, 5000, 10000, 0, 0, null, Map.of(), 0));

    assertThat(open.apiVersion()).isNull();
  }

  @Test
  void dataAndCloseRoundTrip() {
    StreamFrame data = carried(StreamFrames.data("s1", CLIENT, 7, new byte[] {1, 2}));
    StreamFrame close = carried(StreamFrames.close("s1", CLIENT, ErrorCode.ABORTED, "why"));

    assertThat(data.sequence()).isEqualTo(7);
    assertThat(data.data()).containsExactly(1, 2);
    assertThat(close.code()).isEqualTo(ErrorCode.ABORTED);
    assertThat(close.message()).isEqualTo("why");
  }

  @Test
  void frameWithABadSequenceNumberIsMalformed() {
    OutgoingMessage<byte[]> data = StreamFrames.data("s1", CLIENT, 1, new byte[0]);
    Map<String, String> properties = new HashMap<>(data.properties());
    properties.put(WireProperties.SEQUENCE, "-1");

    assertThat(carried(OutgoingMessage.of("s1", new byte[0], properties))).isNull();
  }

  @Test
  void frameWithoutASenderIsMalformed() {
    OutgoingMessage<byte[]> ack = StreamFrames.ack("s1", CLIENT, 1);
    Map<String, String> properties = new HashMap<>(ack.properties());
    properties.remove(WireProperties.SERVER_ID);

    assertThat(carried(OutgoingMessage.of("s1", new byte[0], properties))).isNull();
  }
}
