package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.inspect.ClientInspection;

/**
 * One call a client waits on, as its {@link PendingRequests} table holds it: the reply router hands
 * it what comes for its correlation id, and each call kind decides what that means. A call is in
 * the table from the moment it is made until it is done; it leaves the table before its caller's
 * future completes, so that the table never counts a call whose caller has its answer.
 *
 * <p>Threads: {@link #onReply}, {@link #onClaim} and {@link #onOffer} run on the reply router's
 * thread (the bus's delivery threads), the deadline on the SDK's timer thread, {@link #closed} on
 * the thread that closes the client. Implementations are thread-safe and never block.
 *
 * @param <V> the type of reply values
 */
abstract class PendingCall<V> {

  final String correlationId;
  private final String kind;
  private final String topic;
  private final long startedAtMillis;
  private final long deadlineMillis;

  /**
   * @param kind the call's kind as an inspection names it: {@code single}, {@code multi} or {@code
   *     affinity}
   */
  PendingCall(ClientCall<?> call, String kind) {
    this.correlationId = call.correlationId();
    this.kind = kind;
    this.topic = call.topic().orElse(null);
    this.startedAtMillis = System.currentTimeMillis();
    long deliverAt = call.deliverAtMillis();
    this.deadlineMillis = (deliverAt > 0 ? deliverAt : startedAtMillis) + call.timeout().toMillis();
  }

  /** What an inspection shows of this call; its fields never change. */
  ClientInspection.PendingCall inspect() {
    return new ClientInspection.PendingCall(
        correlationId, topic, kind, startedAtMillis, deadlineMillis);
  }

  /** Whether the call has its outcome; a done call's id is free for a new call. */
  abstract boolean isDone();

  /** A reply or error reply to this call came. */
  abstract void onReply(ReplyHeaders headers, IncomingMessage<V> message);

  /** A server claimed this call. Default: nothing (a call that did not ask for claims). */
  void onClaim(ReplyHeaders headers) {}

  /** A server offered to run this affinity call. Default: nothing (not an affinity call). */
  void onOffer(ReplyHeaders headers) {}

  /** The call was removed from the table by its caller: it stops its timers. */
  abstract void removed();

  /** The client closes: the call fails with {@code closed}. */
  abstract void closed(ClientClosedException closed);
}
