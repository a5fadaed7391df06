package io.pulsarrpc.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request at most once within the deduplication window: a request answered before gets its
 * remembered reply again without running; a delivery of a request that runs here now waits for that
 * run to settle and is then looked at again (by then its reply is remembered); any other runs. The
 * reply of a run is remembered before it is sent, so that a server that crashes in between leaves a
 * reply to send again rather than a request to run again. Storage is {@link ReplyDeduplication}'s.
 *
 * <p>Invariants: while a call runs here its correlation id is claimed, and the claim ends when the
 * call settles, however it settles; a remembered reply that does not decode runs the request again.
 *
 * <p>Threads: {@link #process} runs on the receive path, the timer, or the completion of an earlier
 * delivery; store completions move to the handler executor before anything that may block (creating
 * a reply producer). Thread-safe.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
final class DuplicateRequests<T, V> {

  private static final Logger log = LoggerFactory.getLogger(DuplicateRequests.class);

  private final String subscription;
  private final ReplyDeduplication<V> deduplication;
  private final ReplyPublisher<T, V> publisher;
  private final Executor executor;
  private final Consumer<InFlightCall<T>> lookAgain;
  private final Consumer<InFlightCall<T>> run;

  /**
   * @param lookAgain takes a delivery back to admission once the run it waited for settled
   * @param run runs an admitted call's handler
   */
  DuplicateRequests(
      String subscription,
      ReplyDeduplication<V> deduplication,
      ReplyPublisher<T, V> publisher,
      Executor executor,
      Consumer<InFlightCall<T>> lookAgain,
      Consumer<InFlightCall<T>> run) {
    this.subscription = subscription;
    this.deduplication = deduplication;
    this.publisher = publisher;
    this.executor = executor;
    this.lookAgain = lookAgain;
    this.run = run;
  }

  /**
   * Answers an admitted call seen before with its remembered reply, waits for one running here, or
   * runs it.
   */
  void process(InFlightCall<T> call) {
    String correlationId = call.correlationId();
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = deduplication.claim(correlationId, mine);
    if (running != null) {
      // Delivered again while it runs here: by the time that run settles, its reply is remembered.
      running.whenComplete((ignored, failure) -> lookAgain.accept(call));
      return;
    }
    call.settled().whenComplete((ignored, failure) -> deduplication.release(correlationId, mine));
    deduplication
        .find(correlationId)
        .whenComplete(
            (remembered, ignored) -> {
              if (remembered.isEmpty()) {
                run.accept(call);
                return;
              }
              log.debug(
                  "Server {} answers duplicate request {} with its remembered reply",
                  subscription,
                  correlationId);
              try {
                executor.execute(() -> resend(call, remembered.get()));
              } catch (RuntimeException e) {
                call.redeliver();
              }
            });
  }

  /** Remembers the reply to a call that ran, then publishes it. */
  void rememberAndReply(InFlightCall<T> call, V reply, Map<String, String> errorProperties) {
    CompletableFuture<Void> remembered =
        deduplication.remember(call.correlationId(), reply, errorProperties);
    if (remembered.isDone()) {
      publisher.reply(call, reply, errorProperties);
    } else {
      // Not on the store's I/O thread: creating a reply producer may block.
      remembered.whenCompleteAsync(
          (ignored, failure) -> publisher.reply(call, reply, errorProperties), executor);
    }
  }

  private void resend(InFlightCall<T> call, RememberedReply remembered) {
    V reply;
    try {
      reply = deduplication.decode(remembered);
    } catch (RuntimeException e) {
      log.warn(
          "Server {} cannot decode the remembered reply to {}; running the request again",
          subscription,
          call.correlationId(),
          e);
      run.accept(call);
      return;
    }
    publisher.reply(call, reply, remembered.properties());
  }
}
