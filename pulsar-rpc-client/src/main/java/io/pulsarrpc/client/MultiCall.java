package io.pulsarrpc.client;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.NoSubscribersException;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.PulsarRpcClientException.NoRespondersException;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.ReplyHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A multi-call: one request that every server group (subscription) receiving it answers, each
 * claiming it first so that the client knows how many answers to wait for.
 *
 * <p>The call completes with the responses, in the order they came, once every group that claimed
 * it has answered and the client has seen enough claims:
 *
 * <ul>
 *   <li>as many as took part in the client's last multi-call to the same topic ({@link
 *       MultiCallHistory}); while fewer claimed, the call waits for more until its claim window
 *       ends (a group that stopped serving costs one call that wait, then the history forgets it);
 *   <li>at least as many as the caller said it expects ({@link
 *       RequestOptions#withExpectedServers}), while the claim window lasts;
 *   <li>for the first multi-call to a topic, whatever claimed within the <em>settle window</em>:
 *       from the first claim, half the time that claim took, and at least a tenth of the claim
 *       window or {@link #SETTLE_FLOOR}, whichever is less, so that groups the bus reached a little
 *       later, or whose threads were slower to run, still count.
 * </ul>
 *
 * At its deadline it completes with the responses so far and a {@link ErrorCode#DEADLINE_EXCEEDED}
 * response for each claimer that did not answer. It fails with {@link NoRespondersException} when
 * nobody claimed it within the claim window (or by its deadline). A reply without a claim (a server
 * of the proposal's protocol) counts as claim and answer; a second answer of one group is dropped,
 * and so is anything after the end, which still counts its group for the next call. At most {@value
 * #MAX_SERVERS} groups count, so a flood of forged claims cannot grow the call without bound.
 *
 * <p>Thread-safe: claims and replies arrive on the reply router's threads, timers fire on the SDK's
 * timer thread; state changes under one lock. The caller's listener runs under it (one response at
 * a time, all before the end); the future completes outside it.
 */
final class MultiCall<T, V> extends PendingCall<V> {

  /** The most server groups one multi-call counts. */
  static final int MAX_SERVERS = 1024;

  /** The most a first multi-call to a topic waits for claims after the first, at the least. */
  static final Duration SETTLE_FLOOR = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(MultiCall.class);

  private final CallSupport<T, V> support;
  private final MultiCallHistory history;
  private final String historyKey;
  private final Consumer<? super Response<V>> listener;
  private final CompletableFuture<List<Response<V>>> result = new CompletableFuture<>();
  private final long timeoutMillis;
  private final long claimWindowNanos;
  private final int expectedServers;
  private final Object lock = new Object();
  private final Set<String> claimers = new LinkedHashSet<>();
  private final Map<String, Response<V>> answers = new LinkedHashMap<>();
  private long sentNanos;
  private long firstClaimNanos;
  private boolean settled;
  private boolean claimWindowOver;
  private volatile boolean done;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>(3);

  private MultiCall(
      ClientCall<T> call,
      CallSupport<T, V> support,
      MultiCallHistory history,
      Duration claimWindow,
      int expectedServers,
      Consumer<? super Response<V>> listener) {
    super(call, "multi");
    this.support = support;
    this.history = history;
    this.historyKey = call.topic().orElse("");
    this.listener = listener;
    this.timeoutMillis = call.timeout().toMillis();
    this.claimWindowNanos = Math.min(claimWindow.toNanos(), call.timeout().toNanos());
    this.expectedServers = expectedServers;
  }

  /**
   * Tracks {@code call} as a multi-call and publishes its request.
   *
   * @param expectedServers the least number of groups to wait for while the claim window lasts, or
   *     0 when the caller did not say
   * @param listener receives each response as it comes, before the call completes
   * @return the caller's future of every response
   * @throws IllegalArgumentException when the bus refuses the call's message settings
   */
  static <T, V> CompletableFuture<List<Response<V>>> start(
      ClientCall<T> call,
      CallSupport<T, V> support,
      MultiCallHistory history,
      Duration claimWindow,
      int expectedServers,
      Consumer<? super Response<V>> listener) {
    MultiCall<T, V> multi =
        new MultiCall<>(call, support, history, claimWindow, expectedServers, listener);
    if (multi.track()) {
      multi.publish(call);
    }
    return multi.result;
  }

  @Override
  boolean isDone() {
    return done;
  }

  @Override
  void onClaim(ReplyHeaders headers) {
    String server = serverOf(headers);
    synchronized (lock) {
      if (done) {
        log.debug("Multi-call {} is over: claim of {} dropped", correlationId, server);
        history.cameLate(correlationId, server);
        return;
      }
      count(server);
    }
    completeIfAllAnswered();
  }

  @Override
  void onReply(ReplyHeaders headers, IncomingMessage<V> message) {
    String server = serverOf(headers);
    Response<V> response = responseOf(server, headers, message);
    synchronized (lock) {
      if (done) {
        log.debug("Multi-call {} is over: the reply of {} is dropped", correlationId, server);
        history.cameLate(correlationId, server);
        return;
      }
      if (answers.containsKey(server) || !count(server)) {
        return;
      }
      answers.put(server, response);
      // Under the lock, so that the call cannot end before its listener has seen every response.
      try {
        listener.accept(response);
      } catch (RuntimeException e) {
        log.warn("The response listener of multi-call {} threw; ignored", correlationId, e);
      }
    }
    completeIfAllAnswered();
  }

  @Override
  void removed() {
    synchronized (lock) {
      done = true;
      timers.forEach(timer -> timer.cancel(false));
    }
  }

  @Override
  void closed(ClientClosedException closed) {
    removed();
    result.completeExceptionally(closed);
  }

  /** Counts a claim of {@code server}; false when the call counts no more groups. Under lock. */
  private boolean count(String server) {
    if (claimers.contains(server)) {
      return true;
    }
    if (claimers.size() >= MAX_SERVERS) {
      log.warn(
          "Multi-call {} already counts {} server groups: {} is ignored",
          correlationId,
          MAX_SERVERS,
          server);
      return false;
    }
    claimers.add(server);
    if (firstClaimNanos == 0 && history.expectedGroups(historyKey) == null) {
      // The first call to this topic: no history says how many groups to wait for.
      firstClaimNanos = System.nanoTime();
      long settleNanos =
          Math.min(
              Math.max((firstClaimNanos - sentNanos) / 2, settleFloorNanos()),
              sentNanos + claimWindowNanos - firstClaimNanos);
      timers.add(
          SharedTimer.schedule(this::settle, Math.max(0, settleNanos), TimeUnit.NANOSECONDS));
    }
    return true;
  }

  private void settle() {
    synchronized (lock) {
      settled = true;
    }
    completeIfAllAnswered();
  }

  private void completeIfAllAnswered() {
    List<Response<V>> responses;
    synchronized (lock) {
      if (done || !enoughClaims() || !answers.keySet().containsAll(claimers)) {
        return;
      }
      responses = finishAnswered();
    }
    result.complete(responses);
  }

  /** The least settle window: a tenth of the claim window, at most {@link #SETTLE_FLOOR}. */
  private long settleFloorNanos() {
    return Math.min(claimWindowNanos / 10, SETTLE_FLOOR.toNanos());
  }

  /** Whether the claims seen are all the call waits for (see the class comment). Under lock. */
  private boolean enoughClaims() {
    if (claimWindowOver) {
      return true;
    }
    // Read when deciding: a late claim of an earlier call may have raised it since this call began.
    Integer expectedGroups = history.expectedGroups(historyKey);
    if (claimers.size() < expectedServers) {
      return false;
    }
    return expectedGroups != null ? claimers.size() >= expectedGroups : settled;
  }

  private void claimWindowEnded() {
    synchronized (lock) {
      if (done) {
        return;
      }
      if (!claimers.isEmpty()) {
        claimWindowOver = true;
      } else {
        finishAnswered();
      }
    }
    if (claimWindowOver) {
      completeIfAllAnswered();
    } else {
      result.completeExceptionally(noResponders());
    }
  }

  private void deadlinePassed() {
    List<Response<V>> responses;
    synchronized (lock) {
      if (done) {
        return;
      }
      if (claimers.isEmpty()) {
        finishAnswered();
        responses = null;
      } else {
        for (String server : claimers) {
          answers.computeIfAbsent(
              server,
              silent ->
                  Response.failure(
                      silent,
                      new RpcException(
                          ErrorCode.DEADLINE_EXCEEDED,
                          "server "
                              + silent
                              + " claimed multi-call "
                              + correlationId
                              + " and did not answer within "
                              + timeoutMillis
                              + " ms")));
        }
        responses = finishAnswered();
      }
    }
    if (responses == null) {
      result.completeExceptionally(noResponders());
    } else {
      result.complete(responses);
    }
  }

  /** Ends the call: out of the table, timers off. Under lock; returns the responses. */
  private List<Response<V>> finish() {
    done = true;
    timers.forEach(timer -> timer.cancel(false));
    support.pending().remove(this);
    return List.copyOf(answers.values());
  }

  /** Ends the call with its responses and keeps who took part for the next call. Under lock. */
  private List<Response<V>> finishAnswered() {
    history.ended(correlationId, historyKey, claimers);
    return finish();
  }

  private boolean track() {
    if (!support.admit(this, result, "Multi-call")) {
      return false;
    }
    result.whenComplete(
        (responses, failure) -> {
          if (failure instanceof CancellationException) {
            synchronized (lock) {
              if (!done) {
                finish();
              }
            }
          }
        });
    synchronized (lock) {
      sentNanos = System.nanoTime();
      timers.add(
          SharedTimer.schedule(this::claimWindowEnded, claimWindowNanos, TimeUnit.NANOSECONDS));
      timers.add(SharedTimer.schedule(this::deadlinePassed, timeoutMillis, TimeUnit.MILLISECONDS));
    }
    if (support.isClosed()) {
      closed(CallSupport.closedException(correlationId));
      return false;
    }
    return true;
  }

  private void publish(ClientCall<T> call) {
    try {
      support
          .publisher()
          .publish(call, CallKind.MULTI)
          .whenComplete(
              (messageId, failure) -> {
                if (failure == null) {
                  support.callBacks().sendSucceeded(correlationId, messageId);
                } else {
                  failSend(failure);
                }
              });
    } catch (IllegalArgumentException e) {
      removed();
      support.pending().remove(this);
      result.cancel(false);
      throw e;
    } catch (RuntimeException e) {
      failSend(e);
    }
  }

  private void failSend(Throwable failure) {
    Throwable cause = Failures.unwrapped(failure);
    synchronized (lock) {
      if (done) {
        return;
      }
      finish();
    }
    result.completeExceptionally(
        cause instanceof NoSubscribersException
            ? new NoRespondersException(
                "No server listens for multi-call " + correlationId + ": " + cause.getMessage())
            : new PulsarRpcClientException.SendException(
                "Could not publish multi-call " + correlationId + ": " + cause.getMessage(),
                cause));
  }

  private NoRespondersException noResponders() {
    return new NoRespondersException(
        "No server claimed multi-call "
            + correlationId
            + " within "
            + TimeUnit.NANOSECONDS.toMillis(claimWindowNanos)
            + " ms");
  }

  private Response<V> responseOf(String server, ReplyHeaders headers, IncomingMessage<V> message) {
    ReplyHeaders.Error error = headers.error();
    if (error != null) {
      return Response.failure(
          server, new RpcException(error.code(), error.message(), error.details()));
    }
    try {
      return Response.success(server, message.value());
    } catch (MessageDecodeException e) {
      return Response.failure(
          server,
          new RpcException(ErrorCode.MALFORMED_RESPONSE, "malformed reply: " + e.getMessage()));
    }
  }

  /** The server group a claim or reply comes from: its subscription, else its instance. */
  static String serverOf(ReplyHeaders headers) {
    String server = headers.serverSubscription();
    if (server != null) {
      return server;
    }
    return headers.serverId() != null ? headers.serverId() : "unknown";
  }
}
