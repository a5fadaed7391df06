package io.pulsarrpc.stream;

import java.util.concurrent.CompletableFuture;

/**
 * Sees the streams of the client or server it is registered with (psrpc's stream interceptor): each
 * stream's open, each message sent and received, and the close. One instance sees every stream, so
 * it must be thread-safe. Registered with {@code intercept(StreamInterceptor)} on the stream
 * client's or server's builder; several run in the order of registration: the first registered sees
 * a send first and a received message first. Every method passes on by default.
 *
 * <p>As in OkHttp, a send or receive interceptor hands the message on with its chain's {@code
 * proceed}, at most once (a second call throws {@link IllegalStateException}); it may replace the
 * message, or not proceed at all: a send that does not proceed is not sent (its future is what the
 * interceptor returns), a received message that does not proceed is dropped (it still counts as
 * taken for flow control).
 *
 * <p>Errors: what {@link #interceptSend} throws fails that send (the stream stays open). What the
 * other methods throw is logged and otherwise ignored; a receive interceptor that throws before it
 * proceeded lets the message go on to the application.
 *
 * <p>Threads: {@link #interceptSend} runs on the thread that called {@link RpcStream#sendAsync};
 * {@link #interceptReceive} on the stream's callback thread that hands the message to the
 * application; {@link #interceptOpen} and {@link #interceptClose} on whichever thread opened or
 * closed the stream. None may block for long.
 */
public interface StreamInterceptor {

  /** The rest of the chain for a message being sent. */
  @FunctionalInterface
  interface SendChain<S> {
    /** Passes the message on; completes as {@link RpcStream#sendAsync} does. */
    CompletableFuture<Void> proceed(S message);
  }

  /** The rest of the chain for a message on its way to the application. */
  @FunctionalInterface
  interface ReceiveChain<R> {
    /** Passes the message on, towards the application's {@link RpcStream#receiveAsync}. */
    void proceed(R message);
  }

  /** The stream opened (on the server: before the handler runs). Once per stream. */
  default void interceptOpen(StreamCall call) {}

  /** A message sent by this side's application. */
  default <S> CompletableFuture<Void> interceptSend(
      StreamCall call, S message, SendChain<S> chain) {
    return chain.proceed(message);
  }

  /** A message received from the peer, on its way to this side's application. */
  default <R> void interceptReceive(StreamCall call, R message, ReceiveChain<R> chain) {
    chain.proceed(message);
  }

  /** The stream closed, with who closed it and why. Once per stream opened. */
  default void interceptClose(StreamCall call, StreamClosedException cause) {}
}
