package io.pulsarrpc.server;

import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.WireProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** What an error reply says: a code, a message and details, as they go on the wire. */
record ErrorReply(ErrorCode code, String message, Map<String, String> details) {

  /**
   * The reply for a request function's failure: an {@link RpcException}'s own code, message and
   * details; a cancelled future {@link ErrorCode#CANCELED}; anything else {@link
   * ErrorCode#INTERNAL} with the exception's message.
   */
  static ErrorReply of(Throwable failure) {
    Throwable cause = Failures.unwrapped(failure);
    if (cause instanceof RpcException rpc) {
      String message = rpc.getMessage();
      return new ErrorReply(
          rpc.code(), message == null ? rpc.code().wireName() : message, rpc.details());
    }
    if (cause instanceof CancellationException) {
      return new ErrorReply(
          ErrorCode.CANCELED, "the request function's future was cancelled", Map.of());
    }
    return new ErrorReply(ErrorCode.INTERNAL, messageOf(cause), Map.of());
  }

  /**
   * The properties of the error: the proposal's {@code errorMessage}, then our code and details.
   */
  Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>(4 + details.size());
    properties.put(WireProperties.ERROR_MESSAGE, message);
    properties.put(WireProperties.ERROR_CODE, code.wireName());
    details.forEach(
        (key, value) -> properties.put(WireProperties.ERROR_DETAIL_PREFIX + key, value));
    return properties;
  }

  private static String messageOf(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getName() : message;
  }
}
