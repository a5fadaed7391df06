package io.pulsarrpc.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the {@code rpc.stream.*} meters: each stream as a call from its open to its close (count
 * and timer by close code, gauge of open streams), and its messages by direction. A stream's clock
 * is kept from {@link #interceptOpen} to {@link #interceptClose}; a message counts as sent when
 * this side's application handed it to the stream, as received when it reached this side's
 * application.
 */
final class MetricsStreamInterceptor implements StreamInterceptor {

  private record OpenStream(CallMeters meters, Timer.Sample sample) {}

  private final MeterRegistry registry;
  private final Map<String, OpenStream> open = new ConcurrentHashMap<>();
  private final Map<String, Counter> messageCounters = new ConcurrentHashMap<>();

  MetricsStreamInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void interceptOpen(StreamCall call) {
    CallMeters meters = CallMeters.of(registry, RpcMetrics.STREAM_PREFIX, tags(call));
    open.put(key(call), new OpenStream(meters, meters.started()));
  }

  @Override
  public <S> CompletableFuture<Void> interceptSend(StreamCall call, S message, SendChain<S> chain) {
    // Counted before the send, as received messages are: a message the peer has is counted.
    messages(call, "sent").increment();
    return chain.proceed(message);
  }

  @Override
  public <R> void interceptReceive(StreamCall call, R message, ReceiveChain<R> chain) {
    messages(call, "received").increment();
    chain.proceed(message);
  }

  @Override
  public void interceptClose(StreamCall call, StreamClosedException cause) {
    OpenStream stream = open.remove(key(call));
    if (stream != null) {
      stream.meters().finished(stream.sample(), endedWith(cause));
    }
  }

  /**
   * The code a stream is counted under: none (a success) when a side closed it without a cause,
   * which is how a stream ends normally; the close's code otherwise.
   */
  private static ErrorCode endedWith(StreamClosedException cause) {
    return cause.code() == ErrorCode.CANCELED ? null : cause.code();
  }

  private Counter messages(StreamCall call, String direction) {
    Tags tags = tags(call).and(RpcMetrics.TAG_DIRECTION, direction);
    return messageCounters.computeIfAbsent(
        tags.toString(),
        id ->
            Counter.builder(RpcMetrics.STREAM_MESSAGES)
                .description("Stream messages sent or received by the application")
                .tags(tags)
                .register(registry));
  }

  private static Tags tags(StreamCall call) {
    return Tags.of(
        CallMeters.TAG_TOPIC,
        call.requestTopic(),
        RpcMetrics.TAG_SIDE,
        call.side().name().toLowerCase(Locale.ROOT));
  }

  private static String key(StreamCall call) {
    return call.side() + "/" + call.streamId();
  }

  @Override
  public String toString() {
    return "RpcMetrics.streamInterceptor";
  }
}
