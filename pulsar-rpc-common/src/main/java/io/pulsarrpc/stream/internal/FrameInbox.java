package io.pulsarrpc.stream.internal;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.common.internal.ReceiveLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pulsar.client.api.Schema;

/**
 * One side's inbox: a temporary subscription of the side's inbox topic whose frames it reads one at
 * a time, in the order of the topic, acknowledges at once (a stream's own flow control bounds what
 * it holds) and hands to a consumer. A message that is not a well-formed frame is dropped and
 * counted.
 *
 * <p>Threads: frames reach the consumer on the bus's delivery thread, one at a time; the consumer
 * must not block.
 */
public final class FrameInbox {

  private final BusConsumer<byte[]> consumer;
  private final ReceiveLoop<byte[]> loop;
  private final AtomicLong malformed = new AtomicLong();

  private FrameInbox(BusConsumer<byte[]> consumer, Consumer<StreamFrame> frames, String topic) {
    this.consumer = consumer;
    // One receive at a time: several could complete on different threads and reorder a stream.
    this.loop =
        new ReceiveLoop<>(
            consumer,
            (message, release) -> {
              message.acknowledge();
              StreamFrame frame = StreamFrames.read(message);
              try {
                if (frame == null) {
                  malformed.incrementAndGet();
                } else {
                  frames.accept(frame);
                }
              } finally {
                release.run();
              }
            },
            1,
            "stream frames of " + topic);
  }

  /** Subscribes to {@code topic} and starts reading; completes once subscribed. */
  public static CompletableFuture<FrameInbox> open(
      MessageBus bus, String topic, Consumer<StreamFrame> frames) {
    return bus.subscribe(SubscriptionSpec.temporary(topic, Schema.BYTES))
        .thenApply(
            consumer -> {
              FrameInbox inbox = new FrameInbox(consumer, frames, topic);
              inbox.loop.start();
              return inbox;
            });
  }

  /** Messages dropped because they were not well-formed frames. */
  public long malformedFrames() {
    return malformed.get();
  }

  /** Stops reading and closes the subscription. */
  public CompletableFuture<Void> closeAsync() {
    loop.stop();
    return consumer.closeAsync();
  }
}
