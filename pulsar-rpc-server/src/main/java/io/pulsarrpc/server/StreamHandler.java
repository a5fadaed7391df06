package io.pulsarrpc.server;

import io.pulsarrpc.stream.RpcStream;

/**
 * Runs the server's side of each stream a {@link PulsarRpcStreamServer} accepts.
 *
 * <p>{@link #onOpen} is called once per accepted stream, on one of the server's handler threads
 * (never a bus thread), once the client confirmed that this server owns the stream. It may block
 * and work the stream to its end (receive, send, close), or return at once and keep the stream to
 * work on elsewhere: the stream stays open until a side closes it or a rule does (deadline, idle
 * timeout, heartbeat). A handler that throws closes the stream with {@link
 * io.pulsarrpc.common.ErrorCode#INTERNAL} and the exception's message, or with the exception's code
 * when it is an {@link io.pulsarrpc.common.RpcException}; the client sees that cause.
 *
 * @param <R> what the server receives
 * @param <S> what the server sends
 */
@FunctionalInterface
public interface StreamHandler<R, S> {

  /** Works one stream, seen from the server: it sends {@code S} and receives {@code R}. */
  void onOpen(RpcStream<S, R> stream) throws Exception;
}
