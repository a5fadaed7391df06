package io.pulsarrpc.common;

/**
 * A server could not be built or run because of the bus: subscribing to the request topic failed,
 * for example. The bus's exception is the cause.
 */
public class PulsarRpcServerException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A failure with a message and the bus's exception as the cause. */
  public PulsarRpcServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
