package io.pulsarrpc.spring.boot;

import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.List;

/**
 * The interceptors the starter adds to every server and client it builds, in this order: the
 * metrics interceptors of {@code RpcMetrics} (when a {@code MeterRegistry} bean exists), the
 * tracing interceptors of {@code RpcTracing} (when an {@code OpenTelemetry} bean exists), then the
 * application's own {@code ServerInterceptor}, {@code ClientInterceptor} and {@code
 * StreamInterceptor} beans in their {@code @Order}. The first sees each call first.
 *
 * <p>The starter defines one bean of this type; declare your own to replace it. Implementations
 * must be thread-safe; the starter asks once per server or client it builds, at startup.
 */
public interface PulsarRpcInterceptors {

  /** The interceptors of a server (of every method of a generated server). */
  List<ServerInterceptor> server();

  /**
   * The interceptors of a client.
   *
   * @param requestTopic the client's request topic, or the full service name for a generated
   *     client: it names the calls in metrics and spans
   */
  List<ClientInterceptor> client(String requestTopic);

  /** The interceptors of the stream methods of generated servers and clients. */
  List<StreamInterceptor> stream();
}
