package io.pulsarrpc.stream;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.common.RpcException;
import java.util.concurrent.CompletableFuture;

/**
 * One open stream, seen from one side: this side sends messages of type {@code S} and receives
 * messages of type {@code R}.
 *
 * <p>What a stream guarantees:
 *
 * <ul>
 *   <li>Every message sent arrives once, in the order of the {@link #sendAsync} calls, or the
 *       stream closes.
 *   <li>{@link #sendAsync} completes once the peer's application took the message with {@link
 *       #receiveAsync}. At most the peer's window (256 unless configured) of messages is in flight,
 *       sent and not yet acknowledged; a send beyond it waits, unsent, for room. Memory is bounded
 *       by the number of sends the caller leaves waiting.
 *   <li>At most the window of messages received and not yet taken is held on this side; a peer that
 *       sends beyond it closes the stream with {@link
 *       io.pulsarrpc.common.ErrorCode#RESOURCE_EXHAUSTED}.
 *   <li>A stream closes once, with one cause: a side's {@link #closeAsync}, its client or server
 *       closing (CANCELED), its deadline or idle timeout (DEADLINE_EXCEEDED), two and a half
 *       heartbeat intervals of the peer without a word from it (UNAVAILABLE, so within three), or a
 *       protocol violation. The peer sees the same code and message, unless it is gone.
 * </ul>
 *
 * <p>Threads: thread-safe. Futures complete on the stream's callback threads, never on a bus
 * thread, so a dependent stage may block (for example call {@link #send}); sends of concurrent
 * callers are ordered as their calls reached the stream.
 *
 * @param <S> what this side sends
 * @param <R> what this side receives
 */
public interface RpcStream<S, R> extends AutoCloseable {

  /** The stream's id, the same on both sides. */
  String streamId();

  /** The id of the other side: the server instance on the client, the client on the server. */
  String peer();

  /**
   * Sends a message. Completes once the peer's application took it; fails with the {@link
   * StreamClosedException} of the close when the stream closes before that (also when it was closed
   * before the call), or with what a {@link StreamInterceptor} threw.
   *
   * @throws IllegalArgumentException when {@code message} is null
   */
  CompletableFuture<Void> sendAsync(S message);

  /** Blocking {@link #sendAsync}: returns once the peer's application took the message. */
  default void send(S message) {
    BlockingCalls.await(sendAsync(message));
  }

  /**
   * The next message, in order. Several calls may wait at once; each gets the next message in the
   * order of the calls. Once the stream closed and every message received before the close was
   * taken, fails with the {@link StreamClosedException} of the close.
   */
  CompletableFuture<R> receiveAsync();

  /** Blocking {@link #receiveAsync}. */
  default R receive() {
    return BlockingCalls.await(receiveAsync());
  }

  /**
   * Closes the stream with {@link io.pulsarrpc.common.ErrorCode#CANCELED} "stream closed", as
   * psrpc. Same as {@link #closeAsync(RpcException)} otherwise.
   */
  CompletableFuture<Void> closeAsync();

  /**
   * Closes the stream with {@code cause}: the peer's stream closes with the same code and message
   * ({@link StreamClosedException#closedByPeer()} true there, false here). Sends not yet
   * acknowledged fail; messages received before the close can still be taken. Completes once the
   * close was handed to the bus; closing a closed stream does nothing and completes at once.
   *
   * @throws IllegalArgumentException when {@code cause} is null
   */
  CompletableFuture<Void> closeAsync(RpcException cause);

  /** Blocking {@link #closeAsync()}. */
  @Override
  default void close() {
    BlockingCalls.await(closeAsync());
  }

  /** Whether the stream is open: not closed by either side or by a rule. */
  boolean isOpen();

  /**
   * Completes, never exceptionally, when the stream closes, with who closed it and why. The same
   * future on every call.
   */
  CompletableFuture<StreamClosedException> whenClosed();
}
