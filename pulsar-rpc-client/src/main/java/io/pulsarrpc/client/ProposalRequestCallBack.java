package io.pulsarrpc.client;

import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import java.util.concurrent.CompletableFuture;

/**
 * The Pulsar RPC proposal's callback, whose error event carries only the server's message: {@link
 * #onReplyError(String, String, String, CompletableFuture)}. Implement it instead of {@link
 * RequestCallBack} to port a callback written for the proposal; everything else is as in {@link
 * RequestCallBack}. The client calls the typed {@link #onReplyError(String, String,
 * ReplyErrorException, CompletableFuture)}, which this interface forwards to the proposal's form.
 *
 * @param <V> the type of reply values
 */
public interface ProposalRequestCallBack<V> extends RequestCallBack<V> {

  /**
   * An error reply came, or a reply that could not be decoded. Default: fails {@code replyFuture}
   * with the reply's {@link ReplyErrorException}, code and details included; called by you with
   * another future, with a new one of code {@link ErrorCode#UNKNOWN}.
   */
  default void onReplyError(
      String correlationId,
      String subscription,
      String errorMessage,
      CompletableFuture<V> replyFuture) {
    ReplyErrorException error =
        replyFuture instanceof ReplyFuture<V> reply
            ? reply.errorFor(subscription, errorMessage)
            : null;
    replyFuture.completeExceptionally(
        error != null ? error : new ReplyErrorException(subscription, errorMessage));
  }

  /**
   * Forwards to the proposal's form, {@link #onReplyError(String, String, String,
   * CompletableFuture)}.
   */
  @Override
  default void onReplyError(
      String correlationId,
      String subscription,
      ReplyErrorException error,
      CompletableFuture<V> replyFuture) {
    onReplyError(correlationId, subscription, error.errorMessage(), replyFuture);
  }
}
