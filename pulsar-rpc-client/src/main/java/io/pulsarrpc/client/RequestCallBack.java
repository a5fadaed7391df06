package io.pulsarrpc.client;

import io.pulsarrpc.bus.NoSubscribersException;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.LoggerFactory;

/**
 * Events of a client's calls, with the six events of the Pulsar RPC proposal. Every method has a
 * default that gives the usual behaviour: a call's future completes with its first reply, or fails
 * on an error reply or a failed send. Override a method to decide yourself when a future completes
 * — for example, to wait for the replies of several servers of a fan-out call before completing it
 * — and leave the others as they are.
 *
 * <p>Methods run on the client's threads (the thread that received the reply, or for a timeout the
 * SDK's one timer thread, {@code pulsar-rpc-timer-1}, which every client of the JVM shares): they
 * must not block. An exception a method throws is logged and otherwise ignored. A call's entry
 * stays pending until its future completes, is cancelled, times out or is removed, so a callback
 * that never completes the future ends in a timeout.
 *
 * <p>The {@link Message}, {@link Consumer} and {@link MessageId} parameters are Pulsar's own on the
 * Pulsar bus. On other buses, the message is a read-only view of the bus's message, the consumer is
 * {@code null}, and the message id is an {@link io.pulsarrpc.bus.BusMessageId}.
 *
 * @param <V> the type of reply values
 */
public interface RequestCallBack<V> {

  /** The request was published. Default: nothing. */
  default void onSendRequestSuccess(String correlationId, MessageId messageId) {}

  /**
   * The request could not be published; the call is no longer pending. Default: fails {@code
   * replyFuture} with a {@link PulsarRpcClientException.NoRespondersException} when the bus knows
   * that no server listens ({@link NoSubscribersException}, core NATS), else with a {@link
   * PulsarRpcClientException.SendException}.
   */
  default void onSendRequestError(
      String correlationId, Throwable failure, CompletableFuture<V> replyFuture) {
    replyFuture.completeExceptionally(
        failure instanceof NoSubscribersException
            ? new PulsarRpcClientException.NoRespondersException(
                "No server listens for request " + correlationId + ": " + failure.getMessage())
            : new PulsarRpcClientException.SendException(
                "Could not publish request " + correlationId + ": " + failure.getMessage(),
                failure));
  }

  /**
   * A reply came. {@code subscription} is the answering server's subscription ({@code serverSub}),
   * or null when the reply did not name it. For a reply to a call this client no longer tracks (it
   * completed, timed out, was removed, or was sent by an earlier run of a client with the same
   * reply subscription), {@code replyFuture} is a new future that no caller waits on. Default:
   * completes {@code replyFuture} with {@code value}.
   */
  default void onReplySuccess(
      String correlationId, String subscription, V value, CompletableFuture<V> replyFuture) {
    replyFuture.complete(value);
  }

  /**
   * An error reply came, with the server's {@linkplain ReplyErrorException#code() code}, message
   * and details, or a reply that could not be decoded ({@link ErrorCode#MALFORMED_RESPONSE}). The
   * other arguments are as for {@link #onReplySuccess}. To receive only the server's message, as
   * the proposal's callback does, implement {@link ProposalRequestCallBack} instead. Default: fails
   * {@code replyFuture} with {@code error}.
   */
  default void onReplyError(
      String correlationId,
      String subscription,
      ReplyErrorException error,
      CompletableFuture<V> replyFuture) {
    replyFuture.completeExceptionally(error);
  }

  /**
   * The call's deadline passed without its future completing. When this method returns, the client
   * fails the call's future with {@code timeout}, a {@link
   * PulsarRpcClientException.TimeoutException}. Default: nothing.
   */
  default void onTimeout(String correlationId, Throwable timeout) {}

  /**
   * Acknowledging a reply failed, so the bus may deliver it again. Default: logs a warning.
   *
   * @param consumer Pulsar's consumer on the Pulsar bus, null on other buses
   */
  default void onReplyMessageAckFailed(
      String correlationId, Consumer<V> consumer, Message<V> message, Throwable failure) {
    LoggerFactory.getLogger(RequestCallBack.class)
        .warn("Could not acknowledge the reply to {}", correlationId, failure);
  }
}
