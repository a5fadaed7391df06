package io.pulsarrpc.stream;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;

/**
 * Why a stream closed: the code and message of the side that closed it, and which side that was. A
 * stream's pending and later sends fail with it, its receives once everything received was taken,
 * and {@link RpcStream#whenClosed()} completes with it.
 *
 * <p>Codes a stream closes with: {@link ErrorCode#CANCELED} when a side closed it without a cause
 * (or its client or server closed), {@link ErrorCode#DEADLINE_EXCEEDED} for the stream's deadline
 * or idle timeout, {@link ErrorCode#UNAVAILABLE} when the peer went silent for 2.5 of its heartbeat
 * intervals or the bus failed, {@link ErrorCode#RESOURCE_EXHAUSTED} when the peer sent beyond the
 * window, {@link ErrorCode#INTERNAL} for a handler that threw or frames out of order, {@link
 * ErrorCode#NOT_FOUND} when the peer no longer knows the stream, or the code the closing
 * application chose. Immutable.
 */
public final class StreamClosedException extends RpcException {

  private static final long serialVersionUID = 1L;

  private final boolean closedByPeer;

  /**
   * @param code the closer's code
   * @param message the closer's message
   * @param closedByPeer whether the other side closed the stream
   * @throws IllegalArgumentException when the code is null
   */
  public StreamClosedException(ErrorCode code, String message, boolean closedByPeer) {
    super(code, message);
    this.closedByPeer = closedByPeer;
  }

  /** Whether the other side closed the stream; false when this side did (or timed it out). */
  public boolean closedByPeer() {
    return closedByPeer;
  }

  @Override
  public String toString() {
    return "StreamClosedException["
        + code().wireName()
        + (closedByPeer ? ", by peer" : ", here")
        + "]: "
        + getMessage();
  }
}
