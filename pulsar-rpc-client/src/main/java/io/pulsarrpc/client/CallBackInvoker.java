package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a client's {@link RequestCallBack}: turns what comes on the reply topic into its events and
 * keeps the client working when the user's code throws (logged, then ignored). Stateless beyond the
 * callback; called from the client's threads (reply delivery, the timer, send completions), never
 * blocking unless the user's callback does.
 */
final class CallBackInvoker<V> {

  private static final Logger log = LoggerFactory.getLogger(CallBackInvoker.class);
  private static final RequestCallBack<Object> DEFAULT_CALLBACK = new RequestCallBack<>() {};

  private final RequestCallBack<V> callBack;
  private final String client;

  /**
   * @param callBack the user's callback, or null for the default one
   * @param client the client's reply subscription, for logs
   */
  @SuppressWarnings("unchecked")
  CallBackInvoker(RequestCallBack<V> callBack, String client) {
    this.callBack = callBack != null ? callBack : (RequestCallBack<V>) DEFAULT_CALLBACK;
    this.client = client;
  }

  void sendSucceeded(String correlationId, MessageId messageId) {
    safely(() -> callBack.onSendRequestSuccess(correlationId, messageId), "onSendRequestSuccess");
  }

  void sendFailed(String correlationId, Throwable cause, CompletableFuture<V> future) {
    safely(() -> callBack.onSendRequestError(correlationId, cause, future), "onSendRequestError");
  }

  void timedOut(String correlationId, Throwable timeout) {
    safely(() -> callBack.onTimeout(correlationId, timeout), "onTimeout");
  }

  /**
   * Hands a reply to the callback: an error reply to {@code onReplyError}, a value that does not
   * decode to {@code onReplyError} with {@link ErrorCode#MALFORMED_RESPONSE}, a value to {@code
   * onReplySuccess}.
   */
  void deliverReply(
      String correlationId,
      ReplyHeaders headers,
      IncomingMessage<V> message,
      ReplyFuture<V> future) {
    String server = headers.serverSubscription();
    ReplyHeaders.Error error = headers.error();
    if (error != null) {
      replyFailed(
          correlationId,
          future,
          new ReplyErrorException(server, error.code(), error.message(), error.details()));
      return;
    }
    V value;
    try {
      value = message.value();
    } catch (MessageDecodeException e) {
      replyFailed(
          correlationId,
          future,
          new ReplyErrorException(
              server,
              ErrorCode.MALFORMED_RESPONSE,
              "malformed reply: " + e.getMessage(),
              Map.of()));
      return;
    }
    safely(() -> callBack.onReplySuccess(correlationId, server, value, future), "onReplySuccess");
  }

  void ackFailed(String correlationId, IncomingMessage<V> message, Throwable failure) {
    safely(
        () ->
            callBack.onReplyMessageAckFailed(
                correlationId, message.pulsarConsumer(), message.asPulsarMessage(), failure),
        "onReplyMessageAckFailed");
  }

  private void replyFailed(String correlationId, ReplyFuture<V> future, ReplyErrorException error) {
    future.handingOver(error);
    safely(
        () -> callBack.onReplyError(correlationId, error.serverSubscription(), error, future),
        "onReplyError");
  }

  private void safely(Runnable invocation, String event) {
    try {
      invocation.run();
    } catch (RuntimeException e) {
      log.warn("RequestCallBack.{} of client {} threw; ignored", event, client, e);
    }
  }
}
