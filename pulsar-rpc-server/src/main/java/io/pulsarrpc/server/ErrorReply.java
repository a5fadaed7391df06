package io.pulsarrpc.server;

import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** Turns a request function's failure into what its error reply says. */
final class ErrorReply {

  private ErrorReply() {}

  /**
   * The error for a request function's failure: an {@link RpcException}'s own code, message and
   * details; a cancelled future {@link ErrorCode#CANCELED}; anything else {@link
   * ErrorCode#INTERNAL} with the exception's message.
   */
  static ReplyHeaders.Error of(Throwable failure) {
    Throwable cause = Failures.unwrapped(failure);
    if (cause instanceof RpcException rpc) {
      String message = rpc.getMessage();
      return new ReplyHeaders.Error(
          rpc.code(), message == null ? rpc.code().wireName() : message, rpc.details());
    }
    if (cause instanceof CancellationException) {
      return new ReplyHeaders.Error(
          ErrorCode.CANCELED, "the request function's future was cancelled", Map.of());
    }
    return new ReplyHeaders.Error(ErrorCode.INTERNAL, messageOf(cause), Map.of());
  }

  private static String messageOf(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getName() : message;
  }
}
