package io.pulsarrpc.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.stream.StreamCall;
import io.pulsarrpc.stream.StreamClosedException;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traces each stream as one span per side, from its open to its close, with an event per message
 * sent and received by the application. The server's span is a child of the trace context the
 * opener put in the stream's metadata, if any; the client's a child of the span current when the
 * stream opened.
 */
final class TracingStreamInterceptor implements StreamInterceptor {

  private record TracedStream(Span span, AtomicLong sent, AtomicLong received) {}

  private final Tracer tracer;
  private final Map<String, TracedStream> open = new ConcurrentHashMap<>();

  TracingStreamInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void interceptOpen(StreamCall call) {
    boolean server = call.side() == StreamCall.Side.SERVER;
    Context parent =
        server
            ? W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), call.metadata(), MetadataCarrier.GETTER)
            : Context.current();
    var builder =
        tracer
            .spanBuilder(call.requestTopic() + " stream")
            .setParent(parent)
            .setSpanKind(server ? SpanKind.SERVER : SpanKind.CLIENT)
            .setAttribute(RpcTracing.RPC_SYSTEM, "pulsar-rpc")
            .setAttribute(RpcTracing.DESTINATION, call.requestTopic())
            .setAttribute(RpcTracing.STREAM_ID, call.streamId())
            .setAttribute(RpcTracing.PEER, call.peer());
    if (call.topic() != null) {
      builder.setAttribute(RpcTracing.TOPIC, call.topic());
    }
    open.put(key(call), new TracedStream(builder.startSpan(), new AtomicLong(), new AtomicLong()));
  }

  @Override
  public <S> CompletableFuture<Void> interceptSend(StreamCall call, S message, SendChain<S> chain) {
    // Counted before the send: once sent, the peer may answer and close, and this side's close
    // end the span, before the sending thread comes back here.
    TracedStream stream = open.get(key(call));
    if (stream != null) {
      stream.span().addEvent("sent", sequence(stream.sent()));
    }
    return chain.proceed(message);
  }

  @Override
  public <R> void interceptReceive(StreamCall call, R message, ReceiveChain<R> chain) {
    TracedStream stream = open.get(key(call));
    if (stream != null) {
      stream.span().addEvent("received", sequence(stream.received()));
    }
    chain.proceed(message);
  }

  @Override
  public void interceptClose(StreamCall call, StreamClosedException cause) {
    TracedStream stream = open.remove(key(call));
    if (stream == null) {
      return;
    }
    Span span = stream.span();
    span.setAttribute(RpcTracing.MESSAGES_SENT, stream.sent().get());
    span.setAttribute(RpcTracing.MESSAGES_RECEIVED, stream.received().get());
    span.setAttribute(RpcTracing.ERROR_CODE, cause.code().wireName());
    span.setAttribute(RpcTracing.CLOSED_BY_PEER, cause.closedByPeer());
    // A close without a cause (CANCELED) is how a stream ends normally: not an error.
    if (cause.code() != ErrorCode.CANCELED) {
      span.recordException(cause);
      span.setStatus(StatusCode.ERROR, cause.code().wireName() + ": " + cause.getMessage());
    }
    span.end();
  }

  private static Attributes sequence(AtomicLong count) {
    return Attributes.of(RpcTracing.MESSAGE_NUMBER, count.incrementAndGet());
  }

  private static String key(StreamCall call) {
    return call.side() + "/" + call.streamId();
  }

  @Override
  public String toString() {
    return "RpcTracing.streamInterceptor";
  }
}
