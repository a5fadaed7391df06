package io.pulsarrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.memory.InMemoryMessageBus;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.internal.StreamFrame;
import io.pulsarrpc.stream.internal.StreamFrameFixtures;
import io.pulsarrpc.stream.internal.StreamSide;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that closes while a client's confirm is being handled: the close took the table while it
 * still held the accept, and the confirm turned the accept into a stream before the close ended it.
 */
class PendingAcceptTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String STREAM = "stream-1";
  private static final String CLIENT = "client-1";
  private static final String CLIENT_INBOX = "client-inbox";

  private final InMemoryMessageBus bus = InMemoryMessageBus.create();
  private final StreamSide side =
      StreamFrameFixtures.side(bus, "server-1", "server-inbox", StreamCall.Side.SERVER);

  @AfterEach
  void close() {
    side.shutdown().join();
    bus.close();
  }

  @Test
  void endingAnAcceptAfterTheConfirmEndsTheStreamItBecameAndTellsTheClient() throws Exception {
    BusConsumer<byte[]> clientInbox =
        bus.subscribe(SubscriptionSpec.temporary(CLIENT_INBOX, Schema.BYTES)).get();
    BusProducer<byte[]> producer =
        side.producers().acquire(CLIENT_INBOX).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    PendingAccept<String, String> accept =
        new PendingAccept<>(
            side, frame(StreamFrame.Type.OPEN), producer, Schema.STRING, Schema.STRING, s -> {});
    assertThat(side.table().add(STREAM, accept)).isTrue();

    accept.onFrame(frame(StreamFrame.Type.CONFIRM));
    assertThat(side.table().get(STREAM)).isNotNull().isNotSameAs(accept);
    assertThat(
            accept.end(new StreamClosedException(ErrorCode.CANCELED, "server closed", false), true))
        .succeedsWithin(PATIENCE);

    StreamFrame close = StreamFrameFixtures.nextClose(clientInbox, PATIENCE);
    assertThat(close.streamId()).isEqualTo(STREAM);
    assertThat(close.code()).isEqualTo(ErrorCode.CANCELED);
    assertThat(close.message()).isEqualTo("server closed");
    assertThat(side.table().get(STREAM)).isNull();
  }

  private static StreamFrame frame(StreamFrame.Type type) {
    return StreamFrameFixtures.frame(type, STREAM, CLIENT, CLIENT_INBOX, PATIENCE);
  }
}
