package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.stream.StreamCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Frames and inbox reads for tests that drive one side of a stream without a peer. Shared with the
 * client's and server's tests through this module's test-jar.
 */
public final class StreamFrameFixtures {

  private StreamFrameFixtures() {}

  /**
   * A side of {@code kind} on {@code bus} whose instance id is {@code id} and inbox {@code inbox}:
   * window 16, heartbeat every minute, no interceptors. The caller shuts it down.
   */
  public static StreamSide side(MessageBus bus, String id, String inbox, StreamCall.Side kind) {
    return new StreamSide(
        bus, id, inbox, "requests", kind, 16, Duration.ofMinutes(1), List.of(), id + "-callbacks");
  }

  /**
   * A frame of {@code type} for {@code streamId} from {@code sender}, whose inbox is {@code
   * senderInbox}: window 16, heartbeat every minute, no deadline, no data.
   */
  public static StreamFrame frame(
      StreamFrame.Type type,
      String streamId,
      String sender,
      String senderInbox,
      Duration openTimeout) {
    return new StreamFrame(
        type,
        streamId,
        sender,
        senderInbox,
        0,
        16,
        Duration.ofMinutes(1).toMillis(),
        openTimeout.toMillis(),
        0,
        0,
        null,
        Map.of(),
        null,
        null,
        null,
        new byte[0],
        System.currentTimeMillis());
  }

  /**
   * The next close frame {@code inbox} receives, skipping other frames.
   *
   * @throws java.util.concurrent.TimeoutException when none comes within {@code patience}
   */
  public static StreamFrame nextClose(BusConsumer<byte[]> inbox, Duration patience)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      long left = Math.max(1, deadline - System.nanoTime());
      StreamFrame frame = StreamFrames.read(inbox.receive().get(left, TimeUnit.NANOSECONDS));
      if (frame != null && frame.type() == StreamFrame.Type.CLOSE) {
        return frame;
      }
    }
  }
}
