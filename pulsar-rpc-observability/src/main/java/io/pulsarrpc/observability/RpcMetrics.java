package io.pulsarrpc.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.stream.StreamInterceptor;

/**
 * Micrometer metrics for pulsar-rpc calls, as interceptors. On each side, every call is counted and
 * timed with the tags {@code outcome} ({@code success} or {@code error}) and {@code code} ({@code
 * ok}, or the {@link io.pulsarrpc.common.ErrorCode#wireName()} of the failure), and a gauge shows
 * the calls in flight:
 *
 * <ul>
 *   <li>{@value #CLIENT_CALLS} (counter), {@value #CLIENT_DURATION} (timer), {@value
 *       #CLIENT_IN_FLIGHT} (gauge), tagged with the client's request {@code topic};
 *   <li>for multi-calls, {@value #CLIENT_MULTI_CALLS}, {@value #CLIENT_MULTI_DURATION} and {@value
 *       #CLIENT_MULTI_IN_FLIGHT} the same way, and {@value #CLIENT_MULTI_RESPONSES} (counter) per
 *       response, tagged also with the answering {@code server} group;
 *   <li>{@value #SERVER_CALLS} (counter), {@value #SERVER_DURATION} (timer), {@value
 *       #SERVER_IN_FLIGHT} (gauge), tagged with the server's {@code subscription} and the {@code
 *       topic} each request came from;
 *   <li>for streams, on either side: {@value #STREAM_CALLS} (counter of closed streams), {@value
 *       #STREAM_DURATION} (timer, open to close), {@value #STREAM_IN_FLIGHT} (gauge of open
 *       streams), tagged with the request {@code topic} and the {@code side} ({@code client} or
 *       {@code server}); a stream closed without a cause ({@code canceled}, how a stream ends
 *       normally) counts as a success, any other close as an error with its code; and {@value
 *       #STREAM_MESSAGES} (counter), tagged also with the {@code direction}: {@code sent} when this
 *       side's application handed the message to the stream, {@code received} when it reached the
 *       application.
 * </ul>
 *
 * <p>The timers publish no histogram by default; turn one on with a {@code MeterFilter} to get
 * percentiles (see {@code docs/observability.md}). A client call is measured where the interceptor
 * sits in the chain: registered before a {@code RetryInterceptor} it measures the whole call,
 * registered after it each attempt. On the server, a result produced after the deadline is counted
 * as the handler's outcome although no reply is sent.
 *
 * <p>The interceptors are thread-safe and never block. Interceptors on one registry with the same
 * tags share their meters, so two clients of one topic add up. Recording never fails a call: the
 * interceptors pass the chain's future (or exception) through unchanged.
 */
public final class RpcMetrics {

  /** Counter of completed client calls; tags {@code topic}, {@code outcome}, {@code code}. */
  public static final String CLIENT_CALLS = "rpc.client.calls";

  /** Timer of client calls, from the call to its outcome; same tags as {@link #CLIENT_CALLS}. */
  public static final String CLIENT_DURATION = "rpc.client.duration";

  /** Gauge of client calls started and not completed; tag {@code topic}. */
  public static final String CLIENT_IN_FLIGHT = "rpc.client.in_flight";

  /**
   * Counter of completed multi-calls ({@code requestAll}); tags {@code topic}, {@code outcome},
   * {@code code} (an error here is a call that failed as a whole, such as {@code no_responders}).
   */
  public static final String CLIENT_MULTI_CALLS = "rpc.client.multi.calls";

  /** Timer of multi-calls, from the call to its end; same tags as {@link #CLIENT_MULTI_CALLS}. */
  public static final String CLIENT_MULTI_DURATION = "rpc.client.multi.duration";

  /** Gauge of multi-calls started and not completed; tag {@code topic}. */
  public static final String CLIENT_MULTI_IN_FLIGHT = "rpc.client.multi.in_flight";

  /**
   * Counter of the responses of multi-calls, one per server group that answered (or claimed and did
   * not answer by the deadline); tags {@code topic}, {@code server} (the group), {@code outcome},
   * {@code code}.
   */
  public static final String CLIENT_MULTI_RESPONSES = "rpc.client.multi.responses";

  /**
   * Counter of requests a server handled; tags {@code subscription}, {@code topic}, {@code
   * outcome}, {@code code}.
   */
  public static final String SERVER_CALLS = "rpc.server.calls";

  /** Timer of the server's interceptors and handler per request; same tags as server calls. */
  public static final String SERVER_DURATION = "rpc.server.duration";

  /** Gauge of requests being handled; tags {@code subscription} and {@code topic}. */
  public static final String SERVER_IN_FLIGHT = "rpc.server.in_flight";

  /** Counter of closed streams; tags {@code topic}, {@code side}, {@code outcome}, {@code code}. */
  public static final String STREAM_CALLS = "rpc.stream.calls";

  /** Timer of streams, from open to close; same tags as {@link #STREAM_CALLS}. */
  public static final String STREAM_DURATION = "rpc.stream.duration";

  /** Gauge of open streams; tags {@code topic} and {@code side}. */
  public static final String STREAM_IN_FLIGHT = "rpc.stream.in_flight";

  /** Counter of stream messages; tags {@code topic}, {@code side}, {@code direction}. */
  public static final String STREAM_MESSAGES = "rpc.stream.messages";

  static final String STREAM_PREFIX = "rpc.stream";
  static final String TAG_SIDE = "side";
  static final String TAG_DIRECTION = "direction";

  private RpcMetrics() {}

  /**
   * An interceptor that records {@code rpc.stream.*} meters for the streams of a stream client or
   * server: register it with the builder's {@code intercept(StreamInterceptor)}.
   *
   * @param registry where the meters go
   * @throws IllegalArgumentException when the registry is null
   */
  public static StreamInterceptor streamInterceptor(MeterRegistry registry) {
    return new MetricsStreamInterceptor(checked(registry));
  }

  /**
   * An interceptor that records {@code rpc.client.*} meters for the calls of a client of {@code
   * requestTopic}.
   *
   * @param registry where the meters go
   * @param requestTopic the client's request topic, the value of the {@code topic} tag
   * @throws IllegalArgumentException when the registry is null or the topic blank
   */
  public static ClientInterceptor clientInterceptor(MeterRegistry registry, String requestTopic) {
    return new MetricsClientInterceptor(checked(registry), checkedTopic(requestTopic));
  }

  /**
   * An interceptor that records {@code rpc.server.*} meters for the requests a server handles.
   *
   * @param registry where the meters go
   * @throws IllegalArgumentException when the registry is null
   */
  public static ServerInterceptor serverInterceptor(MeterRegistry registry) {
    return new MetricsServerInterceptor(checked(registry));
  }

  private static MeterRegistry checked(MeterRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("meter registry must not be null");
    }
    return registry;
  }

  static String checkedTopic(String requestTopic) {
    if (requestTopic == null || requestTopic.isBlank()) {
      throw new IllegalArgumentException(
          "requestTopic must not be blank: pass the topic the client sends its requests to");
    }
    return requestTopic;
  }
}
