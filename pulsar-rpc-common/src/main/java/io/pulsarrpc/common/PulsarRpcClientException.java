package io.pulsarrpc.common;

/**
 * Why an RPC call failed, as the client sees it. The futures of the client fail with this type (or
 * one of its subclasses), and the blocking methods throw it.
 */
public class PulsarRpcClientException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public PulsarRpcClientException(String message) {
    super(message);
  }

  /** A failure with a message and the bus's (or user code's) exception as the cause. */
  public PulsarRpcClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No reply came before the call's deadline. */
  public static class TimeoutException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A timeout with a message naming the call and its deadline. */
    public TimeoutException(String message) {
      super(message);
    }
  }

  /** The client was closed before the call completed, or the call came after close. */
  public static class ClientClosedException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A closed-client failure with a message. */
    public ClientClosedException(String message) {
      super(message);
    }
  }

  /** The request could not be published; the bus's exception is the cause. */
  public static class SendException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A publish failure. */
    public SendException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The client already tracks as many pending calls as it may. */
  public static class TooManyPendingRequestsException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message naming the bound. */
    public TooManyPendingRequestsException(String message) {
      super(message);
    }
  }

  /** A call with the same correlation id is already pending on this client. */
  public static class DuplicateCorrelationIdException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message naming the id. */
    public DuplicateCorrelationIdException(String message) {
      super(message);
    }
  }

  /**
   * The server answered with an error (its {@code errorMessage}), or the reply could not be
   * decoded.
   */
  public static class ReplyErrorException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    private final String serverSubscription;
    private final String errorMessage;

    /**
     * @param serverSubscription the subscription of the server that answered, or null when the
     *     reply did not say
     * @param errorMessage the server's error message
     */
    public ReplyErrorException(String serverSubscription, String errorMessage) {
      super(
          "Server"
              + (serverSubscription == null ? "" : " on subscription " + serverSubscription)
              + " answered with an error: "
              + errorMessage);
      this.serverSubscription = serverSubscription;
      this.errorMessage = errorMessage;
    }

    /** The subscription of the server that answered, or null when the reply did not say. */
    public String serverSubscription() {
      return serverSubscription;
    }

    /** The server's error message, as it came on the wire. */
    public String errorMessage() {
      return errorMessage;
    }
  }
}
