package io.pulsarrpc.observability;

import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.RpcException;
import java.util.concurrent.CancellationException;

/** The {@link ErrorCode} a failed call is counted and traced under. */
final class FailureCodes {

  private FailureCodes() {}

  /**
   * The code of {@code failure}: a client exception's or an {@link RpcException}'s own, {@code
   * canceled} for a cancelled future, {@code otherwise} for anything else (the client reports
   * {@code unknown} there, the server answers {@code internal}).
   */
  static ErrorCode of(Throwable failure, ErrorCode otherwise) {
    Throwable cause = Failures.unwrapped(failure);
    if (cause instanceof PulsarRpcClientException e) {
      return e.code();
    }
    if (cause instanceof RpcException e) {
      return e.code();
    }
    if (cause instanceof CancellationException) {
      return ErrorCode.CANCELED;
    }
    return otherwise;
  }
}
