package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.internal.ReplyHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what comes on a client's reply topic and hands it to the pending call it is for: reads its
 * RPC fields ({@link ReplyHeaders}), drops what is not for this client (no key, or addressed to
 * another client's subscription), passes replies and claims to the call, and acknowledges every
 * message once handled. Claims and messages this client does not expect for an unknown call are
 * dropped (a forged claim cannot create state). A reply to a call the client does not track (done,
 * timed out, removed, or sent before a restart) still reaches the callback, with a new future
 * nobody waits on.
 *
 * <p>Runs on the bus's delivery threads, one message at a time per thread; never blocks.
 */
final class ReplyRouter<V> {

  private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);

  private final PendingRequests<V> pending;
  private final CallBackInvoker<V> callBacks;
  private final MultiCallHistory multiCalls;
  private final String replySubscription;

  ReplyRouter(
      PendingRequests<V> pending,
      CallBackInvoker<V> callBacks,
      MultiCallHistory multiCalls,
      String replySubscription) {
    this.pending = pending;
    this.callBacks = callBacks;
    this.multiCalls = multiCalls;
    this.replySubscription = replySubscription;
  }

  /** Handles one message of the reply topic; {@code release} runs once it is handled. */
  void route(IncomingMessage<V> message, Runnable release) {
    try {
      String correlationId = message.key();
      if (correlationId == null) {
        log.warn(
            "Client {} ignores a message without key on {}: not a reply",
            replySubscription,
            message.topic());
        acknowledge(message, null);
        return;
      }
      ReplyHeaders headers = ReplyHeaders.read(message.properties());
      if (headers.isFor(replySubscription)) {
        dispatch(correlationId, headers, message);
      }
      acknowledge(message, correlationId);
    } finally {
      release.run();
    }
  }

  private void dispatch(String correlationId, ReplyHeaders headers, IncomingMessage<V> message) {
    PendingCall<V> call = pending.get(correlationId);
    switch (headers.message()) {
      case REPLY -> {
        if (call != null) {
          call.onReply(headers, message);
        } else if (multiCalls.cameLate(correlationId, MultiCall.serverOf(headers))) {
          log.debug(
              "Client {} drops a reply to ended multi-call {}", replySubscription, correlationId);
        } else {
          callBacks.deliverReply(correlationId, headers, message, new ReplyFuture<>());
        }
      }
      case CLAIM -> {
        if (call != null) {
          call.onClaim(headers);
        } else {
          multiCalls.cameLate(correlationId, MultiCall.serverOf(headers));
          log.debug(
              "Client {} drops a claim for {}: no call pending", replySubscription, correlationId);
        }
      }
      case OFFER -> {
        if (call != null) {
          call.onOffer(headers);
        } else {
          log.debug(
              "Client {} drops an offer for {}: no such call", replySubscription, correlationId);
        }
      }
      case UNKNOWN ->
          log.debug(
              "Client {} drops a message for {} that it does not expect: {}",
              replySubscription,
              correlationId,
              message.properties());
    }
  }

  private void acknowledge(IncomingMessage<V> message, String correlationId) {
    message
        .acknowledge()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                callBacks.ackFailed(correlationId, message, Failures.unwrapped(failure));
              }
            });
  }
}
