package io.pulsarrpc.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.stream.StreamInterceptor;

/**
 * OpenTelemetry tracing for pulsar-rpc calls, as interceptors: a span per call on each side, the
 * server's a child of the client's.
 *
 * <p>The client interceptor starts a {@code CLIENT} span named {@code "<request topic> request"} (a
 * child of the current span, if any), writes the W3C trace context into the call's metadata ({@code
 * traceparent} and, when there is one, {@code tracestate}; on the wire {@code rpc-meta-traceparent}
 * and {@code rpc-meta-tracestate}) and ends the span when the call's future completes. The server
 * interceptor reads that context from {@link io.pulsarrpc.server.RequestContext#metadata()}, starts
 * a {@code SERVER} span named {@code "<topic> handle"} as its child (a root span when the request
 * carries none), makes it current while the rest of the chain runs, and ends it when the result's
 * future completes. The W3C format is used whatever propagators the {@link OpenTelemetry} instance
 * has, so that every peer understands it.
 *
 * <p>Attributes: {@value #SYSTEM} = {@code pulsar-rpc}, {@code messaging.destination.name} (the
 * topic), {@code pulsar_rpc.correlation_id}, on the server {@code pulsar_rpc.subscription}; on a
 * failure the span's status is {@code ERROR}, the exception is recorded and {@code
 * pulsar_rpc.error_code} holds the {@link io.pulsarrpc.common.ErrorCode#wireName()}. A multi-call's
 * span ({@code <topic> request all}) has an event {@code response} per response, with {@code
 * pulsar_rpc.server} and {@code pulsar_rpc.error_code} ({@code ok} for a success), and {@code
 * pulsar_rpc.responses}, the number of responses, when it ends.
 *
 * <p>A stream is traced as one span per side, named {@code "<request topic> stream"} ({@code
 * CLIENT} on the side that opened it, {@code SERVER} on the other), from its open to its close,
 * with an event {@code sent} per message the application sent and {@code received} per message that
 * reached it (each with {@code pulsar_rpc.message}, its number in that direction; the SDK's span
 * limits drop events beyond its maximum, 128 by default), and at the close {@code
 * pulsar_rpc.messages_sent}, {@code pulsar_rpc.messages_received}, {@code pulsar_rpc.error_code}
 * and {@code pulsar_rpc.closed_by_peer}. A close without a cause ({@code canceled}) is the normal
 * end; any other code sets the status {@code ERROR}. The server's span is a child of a W3C trace
 * context in the stream's metadata ({@code traceparent}), if the opener put one there.
 *
 * <p>The interceptors are thread-safe and never block; tracing never fails a call, the chain's
 * future (or exception) passes through unchanged. With a no-op {@link OpenTelemetry} they cost
 * little and send no metadata.
 */
public final class RpcTracing {

  /** Name of the tracer (instrumentation scope) the spans come from. */
  public static final String INSTRUMENTATION_NAME = "io.pulsarrpc";

  /** The attribute naming the RPC system, always {@code pulsar-rpc}. */
  public static final String SYSTEM = "rpc.system";

  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey(SYSTEM);
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> CORRELATION_ID =
      AttributeKey.stringKey("pulsar_rpc.correlation_id");
  static final AttributeKey<String> SUBSCRIPTION =
      AttributeKey.stringKey("pulsar_rpc.subscription");
  static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("pulsar_rpc.error_code");
  static final AttributeKey<String> SERVER = AttributeKey.stringKey("pulsar_rpc.server");
  static final AttributeKey<Long> RESPONSES = AttributeKey.longKey("pulsar_rpc.responses");
  static final AttributeKey<String> STREAM_ID = AttributeKey.stringKey("pulsar_rpc.stream_id");
  static final AttributeKey<String> PEER = AttributeKey.stringKey("pulsar_rpc.peer");
  static final AttributeKey<String> TOPIC = AttributeKey.stringKey("pulsar_rpc.topic");
  static final AttributeKey<Long> MESSAGE_NUMBER = AttributeKey.longKey("pulsar_rpc.message");
  static final AttributeKey<Long> MESSAGES_SENT = AttributeKey.longKey("pulsar_rpc.messages_sent");
  static final AttributeKey<Long> MESSAGES_RECEIVED =
      AttributeKey.longKey("pulsar_rpc.messages_received");
  static final AttributeKey<Boolean> CLOSED_BY_PEER =
      AttributeKey.booleanKey("pulsar_rpc.closed_by_peer");

  private RpcTracing() {}

  /**
   * An interceptor that traces the calls of a client of {@code requestTopic}.
   *
   * @param openTelemetry where the tracer comes from
   * @param requestTopic the client's request topic, for the span name and attributes
   * @throws IllegalArgumentException when {@code openTelemetry} is null or the topic blank
   */
  public static ClientInterceptor clientInterceptor(
      OpenTelemetry openTelemetry, String requestTopic) {
    return new TracingClientInterceptor(
        checked(openTelemetry).getTracer(INSTRUMENTATION_NAME),
        RpcMetrics.checkedTopic(requestTopic));
  }

  /**
   * An interceptor that traces the requests a server handles.
   *
   * @param openTelemetry where the tracer comes from
   * @throws IllegalArgumentException when {@code openTelemetry} is null
   */
  public static ServerInterceptor serverInterceptor(OpenTelemetry openTelemetry) {
    return new TracingServerInterceptor(checked(openTelemetry).getTracer(INSTRUMENTATION_NAME));
  }

  /**
   * An interceptor that traces the streams of a stream client or server: register it with the
   * builder's {@code intercept(StreamInterceptor)}.
   *
   * @param openTelemetry where the tracer comes from
   * @throws IllegalArgumentException when {@code openTelemetry} is null
   */
  public static StreamInterceptor streamInterceptor(OpenTelemetry openTelemetry) {
    return new TracingStreamInterceptor(checked(openTelemetry).getTracer(INSTRUMENTATION_NAME));
  }

  private static OpenTelemetry checked(OpenTelemetry openTelemetry) {
    if (openTelemetry == null) {
      throw new IllegalArgumentException(
          "openTelemetry must not be null; use OpenTelemetry.noop() to trace nothing");
    }
    return openTelemetry;
  }
}
