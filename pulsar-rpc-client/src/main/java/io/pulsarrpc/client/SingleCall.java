package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;

/**
 * A single call (the proposal's): one request, completed by the {@link RequestCallBack} with a
 * reply, or failed by a refused send, its deadline, cancellation, removal or the client's close.
 *
 * <p>Two futures: the callback completes the inner {@link ReplyFuture}; the caller's future
 * completes only after the call has left the pending table, so that {@code pendingRequestSize()}
 * never counts a call whose caller has its answer. Cancelling the caller's future cancels the call.
 * Thread-safe: see {@link PendingCall} for the threads.
 */
final class SingleCall<T, V> extends PendingCall<V> {

  private final CallSupport<T, V> support;
  private final ReplyFuture<V> future = new ReplyFuture<>();
  private final CompletableFuture<V> callerFuture = new CompletableFuture<>();
  private volatile ScheduledFuture<?> deadlineTimer;

  private SingleCall(String correlationId, CallSupport<T, V> support) {
    super(correlationId);
    this.support = support;
  }

  /**
   * Tracks {@code call} and publishes its request.
   *
   * @return the caller's future
   * @throws IllegalArgumentException when the bus refuses the call's message settings (the call is
   *     not tracked then)
   */
  static <T, V> CompletableFuture<V> start(ClientCall<T> call, CallSupport<T, V> support) {
    SingleCall<T, V> single = new SingleCall<>(call.correlationId(), support);
    return single.track(call) ? single.publish(call) : single.callerFuture;
  }

  @Override
  boolean isDone() {
    return future.isDone();
  }

  @Override
  void onReply(ReplyHeaders headers, IncomingMessage<V> message) {
    support.callBacks().deliverReply(correlationId, headers, message, future);
  }

  @Override
  void removed() {
    cancelDeadlineTimer();
  }

  @Override
  void closed(ClientClosedException closed) {
    cancelDeadlineTimer();
    future.completeExceptionally(closed);
  }

  /** Adds the call to the table and arms its deadline; false when it failed instead. */
  private boolean track(ClientCall<T> call) {
    if (!support.admit(this, callerFuture, "Request")) {
      return false;
    }
    future.whenComplete(
        (reply, failure) -> {
          support.pending().remove(this);
          cancelDeadlineTimer();
          if (failure == null) {
            callerFuture.complete(reply);
          } else {
            callerFuture.completeExceptionally(failure);
          }
        });
    callerFuture.whenComplete(
        (reply, failure) -> {
          if (failure instanceof CancellationException) {
            future.cancel(false);
          }
        });
    long now = System.currentTimeMillis();
    long deliverAt = call.deliverAtMillis();
    long deadline = (deliverAt > 0 ? deliverAt : now) + call.timeout().toMillis();
    deadlineTimer =
        SharedTimer.schedule(
            () -> expire(call.timeout().toMillis(), deadline),
            deadline - now,
            TimeUnit.MILLISECONDS);
    if (support.isClosed()) {
      // close() drained the pending calls before this one was added, or is draining them now.
      closed(CallSupport.closedException(correlationId));
      return false;
    }
    return true;
  }

  private CompletableFuture<V> publish(ClientCall<T> call) {
    CompletableFuture<MessageId> sent;
    try {
      sent = support.publisher().publish(call);
    } catch (IllegalArgumentException e) {
      support.pending().remove(this);
      removed();
      future.cancel(false);
      throw e;
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (messageId, failure) -> {
          if (failure == null) {
            support.callBacks().sendSucceeded(correlationId, messageId);
          } else {
            support.pending().remove(this);
            support.callBacks().sendFailed(correlationId, Failures.unwrapped(failure), future);
          }
        });
    return callerFuture;
  }

  private void expire(long timeoutMillis, long deadline) {
    if (future.isDone()) {
      return;
    }
    support.pending().remove(this);
    PulsarRpcClientException.TimeoutException timeout =
        new PulsarRpcClientException.TimeoutException(
            "No reply to request "
                + correlationId
                + " within "
                + timeoutMillis
                + " ms (deadline "
                + Instant.ofEpochMilli(deadline)
                + ")");
    // The callback runs first, so that whoever sees the failed future knows it has run.
    support.callBacks().timedOut(correlationId, timeout);
    future.completeExceptionally(timeout);
  }

  private void cancelDeadlineTimer() {
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
