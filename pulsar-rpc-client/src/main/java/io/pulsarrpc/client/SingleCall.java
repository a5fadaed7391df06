package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.PulsarRpcClientException.NoRespondersException;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;

/**
 * A single call: one request that one server runs, completed by the {@link RequestCallBack} with
 * the reply, or failed by a refused send, its deadline, cancellation, removal or the client's
 * close. Three ways to find the server:
 *
 * <ul>
 *   <li>plain (the proposal's): the bus hands the request to one server of the subscription, and a
 *       request waits, durably, for a server that starts later;
 *   <li>claimed (a call with a topic, or {@link RequestOptions#withClaimRequired()}): the server
 *       that takes the request claims it first; no claim within the claim window fails the call
 *       with {@link ErrorCode#NO_RESPONDERS};
 *   <li>affinity ({@link RequestOptions#withSelection}): every server offers a score, {@link
 *       AffinitySelection} picks one, and the selection message tells it to run the request.
 * </ul>
 *
 * <p>Two futures: the callback completes the inner {@link ReplyFuture}; the caller's future
 * completes only after the call has left the pending table, so that {@code pendingRequestSize()}
 * never counts a call whose caller has its answer. Cancelling the caller's future cancels the call.
 * Thread-safe: see {@link PendingCall} for the threads.
 */
final class SingleCall<T, V> extends PendingCall<V> {

  private final CallSupport<T, V> support;
  private final ClientCall<T> call;
  private final Duration claimWindow;
  private final AffinitySelection selection;
  private final ReplyFuture<V> future = new ReplyFuture<>();
  private final CompletableFuture<V> callerFuture = new CompletableFuture<>();
  private volatile ScheduledFuture<?> deadlineTimer;
  // The claim window and short-circuit timers of a claimed or affinity call; null for a plain
  // call, which keeps the request path free of a list per call.
  private final List<ScheduledFuture<?>> claimTimers;
  private volatile boolean claimed;

  private SingleCall(ClientCall<T> call, CallSupport<T, V> support, Duration claimWindow) {
    super(call, call.selection().isPresent() ? "affinity" : "single");
    this.support = support;
    this.call = call;
    this.selection = call.selection().map(AffinitySelection::new).orElse(null);
    this.claimTimers =
        selection != null || call.claimRequired() ? new CopyOnWriteArrayList<>() : null;
    Duration window =
        call.selection()
            .map(SelectionOptions::affinityTimeout)
            .filter(timeout -> !timeout.isZero())
            .orElse(claimWindow);
    this.claimWindow = window.compareTo(call.timeout()) < 0 ? window : call.timeout();
  }

  /**
   * Tracks {@code call} and publishes its request.
   *
   * @return the caller's future
   * @throws IllegalArgumentException when the bus refuses the call's message settings (the call is
   *     not tracked then)
   */
  static <T, V> CompletableFuture<V> start(
      ClientCall<T> call, CallSupport<T, V> support, Duration claimWindow) {
    SingleCall<T, V> single = new SingleCall<>(call, support, claimWindow);
    return single.track() ? single.publish() : single.callerFuture;
  }

  @Override
  boolean isDone() {
    return future.isDone();
  }

  @Override
  void onReply(ReplyHeaders headers, IncomingMessage<V> message) {
    claimed = true;
    support.callBacks().deliverReply(correlationId, headers, message, future);
  }

  @Override
  void onClaim(ReplyHeaders headers) {
    claimed = true;
  }

  @Override
  void onOffer(ReplyHeaders headers) {
    if (selection == null) {
      return;
    }
    switch (selection.offer(headers.serverId(), headers.affinity())) {
      case PICKED -> select(selection.picked());
      case FIRST_ELIGIBLE -> {
        Duration shortCircuit = call.selection().orElseThrow().shortCircuitTimeout();
        if (!shortCircuit.isZero()) {
          arm(this::selectBest, shortCircuit.toNanos());
        }
      }
      case BETTER, IGNORED -> {}
    }
  }

  @Override
  void removed() {
    cancelTimers();
  }

  @Override
  void closed(ClientClosedException closed) {
    cancelTimers();
    future.completeExceptionally(closed);
  }

  /** Adds the call to the table and arms its timers; false when it failed instead. */
  private boolean track() {
    if (!support.admit(this, callerFuture, "Request")) {
      return false;
    }
    future.whenComplete(
        (reply, failure) -> {
          support.pending().remove(this);
          cancelTimers();
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
    if (selection != null) {
      arm(
          this::selectBest,
          TimeUnit.MILLISECONDS.toNanos(deliverAt > 0 ? deliverAt - now : 0)
              + claimWindow.toNanos());
    } else if (call.claimRequired()) {
      arm(
          this::claimWindowEnded,
          TimeUnit.MILLISECONDS.toNanos(deliverAt > 0 ? deliverAt - now : 0)
              + claimWindow.toNanos());
    }
    if (support.isClosed()) {
      // close() drained the pending calls before this one was added, or is draining them now.
      closed(CallSupport.closedException(correlationId));
      return false;
    }
    return true;
  }

  private CompletableFuture<V> publish() {
    CompletableFuture<MessageId> sent;
    try {
      sent =
          support
              .publisher()
              .publish(call, selection != null ? CallKind.AFFINITY : CallKind.SINGLE);
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

  /** Sends the selection of the best offer so far, or fails the call when there is none. */
  private void selectBest() {
    String best = selection.timeUp();
    if (best != null) {
      select(best);
    } else if (!claimed) {
      failWithoutResponders("offered to run affinity call");
    }
  }

  private void select(String server) {
    claimed = true;
    CompletableFuture<MessageId> sent;
    try {
      sent = support.publisher().select(call, server);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (messageId, failure) -> {
          if (failure != null && !future.isDone()) {
            support.pending().remove(this);
            Throwable cause = Failures.unwrapped(failure);
            future.completeExceptionally(
                new PulsarRpcClientException.SendException(
                    "Could not send the selection of server "
                        + server
                        + " for affinity call "
                        + correlationId
                        + ": "
                        + cause.getMessage(),
                    cause));
          }
        });
  }

  private void claimWindowEnded() {
    if (!claimed) {
      failWithoutResponders("claimed request");
    }
  }

  private void failWithoutResponders(String what) {
    if (future.isDone()) {
      return;
    }
    support.pending().remove(this);
    future.completeExceptionally(
        new NoRespondersException(
            "No server "
                + what
                + " "
                + correlationId
                + call.topic().map(topic -> " (topic " + topic + ")").orElse("")
                + " within "
                + claimWindow.toMillis()
                + " ms"));
  }

  private void arm(Runnable task, long delayNanos) {
    claimTimers.add(SharedTimer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS));
  }

  private void cancelTimers() {
    ScheduledFuture<?> deadline = deadlineTimer;
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (claimTimers != null) {
      claimTimers.forEach(timer -> timer.cancel(false));
    }
  }
}
