package io.pulsarrpc.spring.boot.observability;

import io.pulsarrpc.client.ClientInterceptor;
import io.pulsarrpc.server.ServerInterceptor;
import io.pulsarrpc.stream.StreamInterceptor;
import java.util.function.Function;

/**
 * The interceptors of one kind of instrumentation (metrics or tracing), which come before the
 * application's own. The server and stream interceptors are shared by every server; a client's is
 * made for its request topic. Thread-safe.
 *
 * @param server the interceptor of every server
 * @param client makes the interceptor of a client from its request topic
 * @param stream the interceptor of every stream method
 */
record Instrumentation(
    ServerInterceptor server,
    Function<String, ClientInterceptor> client,
    StreamInterceptor stream) {}
