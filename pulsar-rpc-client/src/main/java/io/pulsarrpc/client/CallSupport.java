package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
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

  static ClientClosedException closedException(String correlationId) {
    return new ClientClosedException(
        "PulsarRpcClient is closed: request " + correlationId + " was not sent");
  }
}
