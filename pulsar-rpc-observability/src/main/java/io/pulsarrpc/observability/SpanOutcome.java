package io.pulsarrpc.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;

/** Ends a call's span with the call's outcome. */
final class SpanOutcome {

  private SpanOutcome() {}

  /**
   * Ends {@code span}: status unset on success; on a failure status {@code ERROR}, the exception
   * recorded and the error code attribute, {@code otherwise} when the failure carries no code.
   */
  static void end(Span span, Throwable failure, ErrorCode otherwise) {
    if (failure != null) {
      Throwable cause = Failures.unwrapped(failure);
      ErrorCode code = FailureCodes.of(cause, otherwise);
      span.setAttribute(RpcTracing.ERROR_CODE, code.wireName());
      span.recordException(cause);
      span.setStatus(StatusCode.ERROR, code.wireName() + ": " + cause.getMessage());
    }
    span.end();
  }
}
