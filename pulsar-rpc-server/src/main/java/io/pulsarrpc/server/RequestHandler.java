package io.pulsarrpc.server;

import java.util.concurrent.CompletableFuture;

/**
 * Answers a request, knowing its {@link RequestContext}: correlation id, metadata, deadline,
 * scheduled time, subscription and message id. The richer form of the proposal's {@code Function<T,
 * CompletableFuture<V>>}, given to {@link PulsarRpcServerBuilder#build(
 * org.apache.pulsar.client.api.PulsarClient, RequestHandler, java.util.function.BiConsumer)}.
 *
 * <p>Runs on the server's handler executor, never on the thread that receives messages, so it may
 * block. An exception it throws, or a failed future, becomes an error reply (an {@link
 * io.pulsarrpc.common.RpcException} keeps its code); a null future is an error too.
 *
 * @param <T> the request type
 * @param <V> the reply type
 */
@FunctionalInterface
public interface RequestHandler<T, V> {

  /** Answers {@code request} with a future of the reply. */
  CompletableFuture<V> handle(RequestContext context, T request) throws Exception;
}
