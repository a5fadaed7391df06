package io.pulsarrpc.bus;

/** The bytes of a message do not decode with the consumer's schema. */
public class MessageDecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Keeps the schema's exception as the cause. */
  public MessageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
