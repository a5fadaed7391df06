package io.pulsarrpc.common;

import java.util.Map;

/**
 * Why an RPC call failed, as the client sees it. The futures of the client fail with this type (or
 * one of its subclasses), and the blocking methods throw it. Every failure has an {@link #code()}:
 * a timeout is {@link ErrorCode#DEADLINE_EXCEEDED}, a closed client {@link ErrorCode#CANCELED}, a
 * full pending table {@link ErrorCode#RESOURCE_EXHAUSTED}, a failed publish {@link
 * ErrorCode#UNAVAILABLE}, an error reply the server's own code; {@link ErrorCode#isRetryable()}
 * tells whether sending the call again may help.
 */
public class PulsarRpcClientException extends Exception {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** A failure with a message, of code {@link ErrorCode#UNKNOWN}. */
  public PulsarRpcClientException(String message) {
    this(ErrorCode.UNKNOWN, message, null);
  }

  /**
   * A failure with a message and the bus's (or user code's) exception as the cause, of code {@link
   * ErrorCode#UNKNOWN}.
   */
  public PulsarRpcClientException(String message, Throwable cause) {
    this(ErrorCode.UNKNOWN, message, cause);
  }

  /**
   * A failure with a code, a message and an optional cause.
   *
   * @throws IllegalArgumentException when the code is null
   */
  public PulsarRpcClientException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    if (code == null) {
      throw new IllegalArgumentException("error code must not be null");
    }
    this.code = code;
  }

  /** Why the call failed, as a stable code. */
  public ErrorCode code() {
    return code;
  }

  /** No reply came before the call's deadline. */
  public static class TimeoutException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A timeout with a message naming the call and its deadline. */
    public TimeoutException(String message) {
      super(ErrorCode.DEADLINE_EXCEEDED, message, null);
    }
  }

  /** The client was closed before the call completed, or the call came after close. */
  public static class ClientClosedException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A closed-client failure with a message. */
    public ClientClosedException(String message) {
      super(ErrorCode.CANCELED, message, null);
    }
  }

  /** The request could not be published; the bus's exception is the cause. */
  public static class SendException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A publish failure. */
    public SendException(String message, Throwable cause) {
      super(ErrorCode.UNAVAILABLE, message, cause);
    }
  }

  /** The client already tracks as many pending calls as it may. */
  public static class TooManyPendingRequestsException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message naming the bound. */
    public TooManyPendingRequestsException(String message) {
      super(ErrorCode.RESOURCE_EXHAUSTED, message, null);
    }
  }

  /** A call with the same correlation id is already pending on this client. */
  public static class DuplicateCorrelationIdException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message naming the id. */
    public DuplicateCorrelationIdException(String message) {
      super(ErrorCode.ALREADY_EXISTS, message, null);
    }
  }

  /**
   * No server took the call: nobody claimed it within the client's claim window, or the bus knows
   * that nobody listens. {@link ErrorCode#NO_RESPONDERS}, which callers may retry.
   */
  public static class NoRespondersException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    /** A call that no server took, with what the client waited for. */
    public NoRespondersException(String message) {
      super(ErrorCode.NO_RESPONDERS, message, null);
    }
  }

  /**
   * The server answered with an error (its {@code errorMessage} and code), or the reply could not
   * be decoded ({@link ErrorCode#MALFORMED_RESPONSE}).
   */
  public static class ReplyErrorException extends PulsarRpcClientException {
    private static final long serialVersionUID = 1L;

    private final String serverSubscription;
    private final String errorMessage;
    private final Map<String, String> details;

    /**
     * An error reply without a code (as a peer that speaks only the proposal's protocol sends it):
     * {@link ErrorCode#UNKNOWN}.
     *
     * @param serverSubscription the subscription of the server that answered, or null when the
     *     reply did not say
     * @param errorMessage the server's error message
     */
    public ReplyErrorException(String serverSubscription, String errorMessage) {
      this(serverSubscription, ErrorCode.UNKNOWN, errorMessage, Map.of());
    }

    /**
     * An error reply with the server's code and details.
     *
     * @param serverSubscription the subscription of the server that answered, or null when the
     *     reply did not say
     * @param code the server's code
     * @param errorMessage the server's error message
     * @param details the server's details, possibly empty
     */
    public ReplyErrorException(
        String serverSubscription,
        ErrorCode code,
        String errorMessage,
        Map<String, String> details) {
      super(
          code,
          "Server"
              + (serverSubscription == null ? "" : " on subscription " + serverSubscription)
              + " answered with "
              + code.wireName()
              + ": "
              + errorMessage,
          null);
      this.serverSubscription = serverSubscription;
      this.errorMessage = errorMessage;
      this.details = RpcException.checkedDetails(details);
    }

    /** The server's error details ({@link RpcException#details()}), possibly empty. */
    public Map<String, String> details() {
      return details;
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
