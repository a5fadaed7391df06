package io.pulsarrpc.client;

import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The future a client hands to its {@link RequestCallBack} for one reply: a plain future that also
 * carries the typed error of the error reply being handed over, so that the proposal's message-only
 * callback ({@link ProposalRequestCallBack}) can fail it with the server's code and details. Set by
 * the client's receiving thread before the callback runs; read by the callback on that thread.
 */
final class ReplyFuture<V> extends CompletableFuture<V> {

  private volatile ReplyErrorException error;

  /** Records the error reply the callback is about to receive. */
  void handingOver(ReplyErrorException error) {
    this.error = error;
  }

  /** The error being handed over when it is the one described, or null. */
  ReplyErrorException errorFor(String subscription, String errorMessage) {
    ReplyErrorException current = error;
    return current != null
            && Objects.equals(current.serverSubscription(), subscription)
            && Objects.equals(current.errorMessage(), errorMessage)
        ? current
        : null;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    // Dependent stages are plain futures: only the callback's own future carries the error.
    return new CompletableFuture<>();
  }
}
