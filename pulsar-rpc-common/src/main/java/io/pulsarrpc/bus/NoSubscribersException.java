package io.pulsarrpc.bus;

/**
 * A send failed because the bus knows that no subscription receives the message, so it delivered it
 * nowhere (core NATS's "no responders"). Only buses that keep nothing for a subscriber that comes
 * later raise it; a durable bus keeps the message instead. The RPC client turns it into {@link
 * io.pulsarrpc.common.ErrorCode#NO_RESPONDERS}.
 */
public class NoSubscribersException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failed send to {@code topic}, with why the bus knows nobody listens. */
  public NoSubscribersException(String message) {
    super(message);
  }
}
