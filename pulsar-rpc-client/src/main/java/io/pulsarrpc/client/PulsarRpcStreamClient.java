package io.pulsarrpc.client;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.stream.RpcStream;
import io.pulsarrpc.stream.StreamOptions;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Opens bidirectional streams on a request topic: the open goes to the servers that consume the
 * topic ({@code io.pulsarrpc.server.PulsarRpcStreamServer}), the first server to accept it owns the
 * stream, and both sides then send messages through the {@link RpcStream} until one closes it.
 *
 * <p>The client reads every stream's frames from its inbox, its {@code replyTopic}, through a
 * temporary subscription of its own, and sends to each server's inbox through producers shared by
 * the streams to that server and closed with the last of them.
 *
 * <p>Errors: an open that no server accepts within the open timeout fails with {@link
 * io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}; an open on a closed client with {@link
 * io.pulsarrpc.common.ErrorCode#CANCELED}; a bus failure with {@link
 * io.pulsarrpc.common.ErrorCode#UNAVAILABLE}. Each is an {@link io.pulsarrpc.common.RpcException}.
 *
 * <p>Thread-safe.
 *
 * @param <S> what the client sends
 * @param <R> what the client receives
 */
public interface PulsarRpcStreamClient<S, R> extends AutoCloseable {

  /**
   * A builder for a client that encodes what it sends with {@code sendSchema} and decodes what it
   * receives with {@code receiveSchema}.
   */
  static <S, R> PulsarRpcStreamClientBuilder<S, R> builder(
      Schema<S> sendSchema, Schema<R> receiveSchema) {
    return new PulsarRpcStreamClientBuilder<>(sendSchema, receiveSchema);
  }

  /** Opens a stream with {@link StreamOptions#defaults()}. */
  default CompletableFuture<RpcStream<S, R>> openAsync() {
    return openAsync(StreamOptions.defaults());
  }

  /**
   * Opens a stream: completes with it once a server accepted it and was told it owns it; fails with
   * {@link io.pulsarrpc.common.ErrorCode#NO_RESPONDERS} when no server accepted within the open
   * timeout.
   *
   * @throws IllegalArgumentException when {@code options} is null
   */
  CompletableFuture<RpcStream<S, R>> openAsync(StreamOptions options);

  /** Blocking {@link #openAsync()}. */
  default RpcStream<S, R> open() {
    return open(StreamOptions.defaults());
  }

  /** Blocking {@link #openAsync(StreamOptions)}. */
  default RpcStream<S, R> open(StreamOptions options) {
    return BlockingCalls.await(openAsync(options));
  }

  /** The topic this client receives its streams' frames on (its inbox). */
  String replyTopic();

  /** This client instance's id, the {@link RpcStream#peer()} its servers see. */
  String clientId();

  /** Streams open or being opened: what the client holds state for. */
  int openStreams();

  /**
   * Closes every open stream with {@link io.pulsarrpc.common.ErrorCode#CANCELED} "client closed"
   * (the servers see it), fails opens in progress the same way, then closes the inbox and the
   * producers, and the bus when the client made it. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  default void close() {
    BlockingCalls.await(closeAsync());
  }
}
