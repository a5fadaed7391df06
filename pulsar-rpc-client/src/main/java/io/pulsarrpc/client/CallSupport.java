package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * What every call kind of one client works with: the pending table, the callback, the request
 * publisher and whether the client is closed. Immutable; shared by all calls of the client.
 */
record CallSupport<T, V>(
    PendingRequests<V> pending,
    CallBackInvoker<V> callBacks,
    RequestPublisher<T> publisher,
    BooleanSupplier closed) {

  boolean isClosed() {
    return closed.getAsBoolean();
  }

  /**
   * Adds {@code call} to the pending table, or fails {@code callerFuture} with why it cannot be
   * added (client closed, id already pending, table full).
   *
   * @return whether the call was added
   */
  boolean admit(PendingCall<V> call, CompletableFuture<?> callerFuture, String what) {
    String correlationId = call.correlationId;
    if (isClosed()) {
      callerFuture.completeExceptionally(closedException(correlationId));
      return false;
    }
    switch (pending.add(call)) {
      case DUPLICATE -> {
        callerFuture.completeExceptionally(
            new PulsarRpcClientException.DuplicateCorrelationIdException(
                "A request with correlation id " + correlationId + " is already pending"));
        return false;
      }
      case FULL -> {
        callerFuture.completeExceptionally(
            new PulsarRpcClientException.TooManyPendingRequestsException(
                what
                    + " "
                    + correlationId
                    + " refused: "
                    + pending.size()
                    + " requests are pending, the most this client allows (maxPendingRequests)"));
        return false;
      }
      case ADDED -> {
        return true;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  static ClientClosedException closedException(String correlationId) {
    return new ClientClosedException(
        "PulsarRpcClient is closed: request " + correlationId + " was not sent");
  }
}
