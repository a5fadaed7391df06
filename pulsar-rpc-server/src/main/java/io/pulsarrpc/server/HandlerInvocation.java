package io.pulsarrpc.server;

import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the request handler (behind the server's interceptors) on an admitted call, on the handler
 * executor, and turns its outcome into what happens next: within the deadline, the reply or the
 * error reply goes to the {@link Answer}; after the deadline, a result is rolled back and a failure
 * is logged, and the request is acknowledged unanswered.
 *
 * <p>Invariants: the handler never runs on the receive path; a handler that throws, or returns null
 * instead of a future, counts as a failed future; the outcome is handled on a handler thread — at
 * once when the handler's future is already complete, otherwise moved off the thread that completes
 * it (which may be the user's own); a call the executor refuses is redelivered. On a killed server
 * a call is not started, and the outcome of one that runs is dropped (no reply, no rollback): the
 * request goes back to the bus for another server.
 *
 * <p>Threads: {@link #start} runs on any thread and returns at once; everything else runs on the
 * handler executor. Thread-safe.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
final class HandlerInvocation<T, V> {

  /** Where the outcome of a handler that finished within the deadline goes. */
  @FunctionalInterface
  interface Answer<T, V> {
    /**
     * Answers {@code call} with {@code reply} (null for an error) and {@code errorProperties}
     * (empty for a success), and settles it.
     */
    void answer(InFlightCall<T> call, V reply, Map<String, String> errorProperties);
  }

  private static final Logger log = LoggerFactory.getLogger(HandlerInvocation.class);

  private final String subscription;
  private final RequestHandler<T, V> handler;
  private final BiConsumer<String, T> rollBackFunction;
  private final Executor executor;
  private final Answer<T, V> answer;
  private final Consumer<InFlightCall<T>> beforeHandler;

  /**
   * @param handler the user's handler behind the server's interceptors
   * @param beforeHandler runs on the handler thread just before the handler, for example to claim
   *     the call: what it publishes goes out before the reply
   */
  HandlerInvocation(
      String subscription,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBackFunction,
      Executor executor,
      Answer<T, V> answer,
      Consumer<InFlightCall<T>> beforeHandler) {
    this.subscription = subscription;
    this.handler = handler;
    this.rollBackFunction = rollBackFunction;
    this.executor = executor;
    this.answer = answer;
    this.beforeHandler = beforeHandler;
  }

  /** Hands an admitted call to the handler executor. */
  void start(InFlightCall<T> call) {
    try {
      executor.execute(() -> invoke(call));
    } catch (RuntimeException e) {
      if (!call.isKilled()) {
        // A killed server's pool refuses work on purpose: the request is left to another server.
        log.error("Server {} could not schedule request {}", subscription, call.correlationId(), e);
      }
      call.redeliver();
    }
  }

  private void invoke(InFlightCall<T> call) {
    if (call.isKilled()) {
      // Queued when the server was killed: another server runs it.
      call.leave();
      return;
    }
    beforeHandler.accept(call);
    CompletableFuture<V> result;
    call.runningOn(Thread.currentThread());
    try {
      result =
          handler.handle(
              IncomingRequestContext.of(
                  call.headers(), subscription, call.message().topic(), call.message().id()),
              call.value());
      if (result == null) {
        result =
            CompletableFuture.failedFuture(
                new IllegalStateException("the request handler returned null, not a future"));
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      result = CompletableFuture.failedFuture(e);
    } finally {
      call.runningOn(null);
    }
    if (result.isDone()) {
      // Already on a handler thread: settle here rather than queue another task.
      finishedWith(call, result);
    } else {
      // Off the thread that completes the future, which may be the user's own.
      result.whenCompleteAsync((reply, failure) -> finished(call, reply, failure), executor);
    }
  }

  private void finishedWith(InFlightCall<T> call, CompletableFuture<V> done) {
    V reply = null;
    Throwable failure = null;
    try {
      reply = done.join();
    } catch (CompletionException | CancellationException e) {
      failure = e;
    }
    finished(call, reply, failure);
  }

  private void finished(InFlightCall<T> call, V reply, Throwable failure) {
    RequestHeaders request = call.headers();
    if (call.isKilled()) {
      log.debug(
          "Server {} was killed: the outcome of request {} is dropped, another server runs it",
          subscription,
          request.correlationId());
      call.leave();
      return;
    }
    boolean late = System.currentTimeMillis() > request.deadline();
    call.countAnswered(failure == null && !late);
    if (late) {
      if (failure == null) {
        rollBack(call);
      } else {
        log.warn(
            "Server {}: request {} failed after its deadline; no reply",
            subscription,
            request.correlationId(),
            failure);
      }
      call.acknowledge();
      return;
    }
    if (failure == null) {
      answer.answer(call, reply, Map.of());
    } else {
      answer.answer(call, null, ErrorReply.of(failure).properties());
    }
  }

  private void rollBack(InFlightCall<T> call) {
    try {
      rollBackFunction.accept(call.correlationId(), call.value());
      log.info(
          "Server {} rolled back request {}: it finished after its deadline",
          subscription,
          call.correlationId());
    } catch (RuntimeException e) {
      log.error(
          "Server {}: the rollback of request {} failed", subscription, call.correlationId(), e);
    }
  }
}
