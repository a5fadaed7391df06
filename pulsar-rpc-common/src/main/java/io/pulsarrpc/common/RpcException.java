package io.pulsarrpc.common;

import java.util.Map;

/**
 * A failure with an {@link ErrorCode}, for request functions to throw (or to fail their future
 * with): the client's call then fails with the same code, message and details. Any other exception
 * of a request function reaches the client as {@link ErrorCode#INTERNAL} with its message.
 *
 * <pre>{@code
 * order -> {
 *   if (!orders.exists(order.id())) {
 *     throw new RpcException(ErrorCode.NOT_FOUND, "no order " + order.id());
 *   }
 *   ...
 * }
 * }</pre>
 *
 * <p>Details are string key/values that travel with the error (each as a property {@value
 * WireProperties#ERROR_DETAIL_PREFIX}{@code key}); keep them small. Immutable and thread-safe.
 */
public class RpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final Map<String, String> details;

  /** A failure with a code and a message. */
  public RpcException(ErrorCode code, String message) {
    this(code, message, Map.of(), null);
  }

  /** A failure with a code, a message and details. */
  public RpcException(ErrorCode code, String message, Map<String, String> details) {
    this(code, message, details, null);
  }

  /**
   * A failure with a code, a message, details and a cause (the cause stays on this side of the
   * wire).
   *
   * @throws IllegalArgumentException when the code is null, or a detail key is blank or a value
   *     null
   */
  public RpcException(
      ErrorCode code, String message, Map<String, String> details, Throwable cause) {
    super(message, cause);
    if (code == null) {
      throw new IllegalArgumentException("error code must not be null");
    }
    this.code = code;
    this.details = checkedDetails(details);
  }

  /** The code. */
  public ErrorCode code() {
    return code;
  }

  /** The details, possibly empty. */
  public Map<String, String> details() {
    return details;
  }

  static Map<String, String> checkedDetails(Map<String, String> details) {
    if (details == null) {
      return Map.of();
    }
    details.forEach(
        (key, value) -> {
          if (key == null || key.isBlank() || value == null) {
            throw new IllegalArgumentException(
                "error details need non-blank keys and non-null values, got " + key + "=" + value);
          }
        });
    return Map.copyOf(details);
  }
}
