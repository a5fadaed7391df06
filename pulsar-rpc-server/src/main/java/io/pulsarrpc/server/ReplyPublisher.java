package io.pulsarrpc.server;

import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes replies, error replies and claims through the {@link ReplyProducerPool}, with
 * properties written by {@link ReplyHeaders#write}, and settles the call by the outcome:
 * acknowledged once the reply is published; when publishing fails, negatively acknowledged so that
 * the request comes back and is answered then — except a refused request, which would be refused
 * the same way again and is acknowledged even unanswered.
 *
 * <p>Invariants: each method settles the call it is given exactly once (through {@link
 * InFlightCall}'s guard); once the server was killed nothing more is published and the call is left
 * unacknowledged; a reply carries the routing properties of the delivery it answers (a duplicate
 * may name another reply subscription than the first delivery).
 *
 * <p>Threads: {@link #reply} may block while the reply topic's producer is created, so it runs on a
 * handler thread (or a deduplication store's completion, moved to the handler executor); {@link
 * #refuse} runs on the receive path and moves the publishing to the handler executor. Thread-safe.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
final class ReplyPublisher<T, V> {

  private static final Logger log = LoggerFactory.getLogger(ReplyPublisher.class);

  private final String subscription;
  private final String serverId;
  private final ReplyProducerPool<V> producers;
  private final Executor executor;

  /**
   * @param serverId this server instance's id, on its claims
   */
  ReplyPublisher(
      String subscription, String serverId, ReplyProducerPool<V> producers, Executor executor) {
    this.subscription = subscription;
    this.serverId = serverId;
    this.producers = producers;
    this.executor = executor;
  }

  /**
   * Claims {@code call} for this server's group when its caller asked for a claim (a multi-call, a
   * topic call, a claimed call): a claim message on the reply topic, sent before the handler runs
   * so that it goes out before the reply. Does not settle the call; a claim that cannot be
   * published is logged (the caller then counts the reply as claim and answer, or fails with no
   * responders). Runs on a handler thread: it may block while the reply topic's producer is
   * created.
   */
  void claimIfAsked(InFlightCall<T> call) {
    RequestHeaders request = call.headers();
    // An affinity call's offer and the caller's selection did what a claim does.
    if (!request.claim() || request.kind() == CallKind.AFFINITY) {
      return;
    }
    producers
        .send(
            request.replyTopic(),
            OutgoingMessage.of(
                request.correlationId(),
                null,
                ReplyHeaders.writeClaim(subscription, serverId, request.replySubscription())),
            call::handOff)
        .whenComplete(
            (messageId, failure) -> {
              if (failure != null && !call.isKilled()) {
                log.warn(
                    "Server {} could not claim request {} on {}",
                    subscription,
                    request.correlationId(),
                    request.replyTopic(),
                    failure);
              }
            });
  }

  /**
   * Publishes {@code reply} (null for an error reply) with {@code errorProperties} ({@link
   * ReplyHeaders.Error#properties()}, empty for a success), then acknowledges the request; when the
   * reply cannot be published, the request is redelivered.
   */
  void reply(InFlightCall<T> call, V reply, Map<String, String> errorProperties) {
    publish(call, reply, errorProperties, false);
  }

  /**
   * Answers a request that will not run with an error reply when it can, and acknowledges it,
   * whether or not the error reply could be published.
   */
  void refuse(InFlightCall<T> call, RequestAdmission.Refuse<T> refusal) {
    log.warn(
        "Server {} rejects a request (key {}, topic {}): {}",
        subscription,
        call.message().key(),
        call.message().topic(),
        refusal.problem());
    if (!refusal.answerable()) {
      call.acknowledge();
      return;
    }
    Map<String, String> error =
        new ReplyHeaders.Error(refusal.code(), refusal.problem(), Map.of()).properties();
    // Creating a reply producer may block: not on the receive path.
    try {
      executor.execute(() -> publish(call, null, error, true));
    } catch (RuntimeException e) {
      call.acknowledge();
    }
  }

  private void publish(
      InFlightCall<T> call, V reply, Map<String, String> errorProperties, boolean refused) {
    RequestHeaders request = call.headers();
    Map<String, String> properties =
        ReplyHeaders.write(
            subscription,
            request.deliverAtProperty(),
            request.replySubscription(),
            errorProperties);
    producers
        .send(
            request.replyTopic(),
            new OutgoingMessage<>(request.correlationId(), reply, properties, 0, Map.of()),
            call::handOff)
        .whenComplete(
            (messageId, failure) -> {
              if (call.isKilled()) {
                // Sent or not, a killed server's request stays unacknowledged for another server.
                call.leave();
              } else if (failure == null) {
                call.acknowledge();
              } else if (refused) {
                log.warn(
                    "Server {} could not answer malformed request {}",
                    subscription,
                    request.correlationId(),
                    failure);
                call.acknowledge();
              } else {
                // Unacknowledged, the request comes back and is answered then.
                log.warn(
                    "Server {} could not publish the reply to {} on {}; the request will be"
                        + " redelivered",
                    subscription,
                    request.correlationId(),
                    request.replyTopic(),
                    failure);
                call.redeliver();
              }
            });
  }
}
