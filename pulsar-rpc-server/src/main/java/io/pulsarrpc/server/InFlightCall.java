package io.pulsarrpc.server;

import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.RequestHeaders;
import io.pulsarrpc.inspect.ServerInspection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request from its receipt to its settlement: the message, its RPC headers, its decoded value
 * once admitted, and the one way it ends: {@linkplain #acknowledge() acknowledged}, {@linkplain
 * #redeliver() negatively acknowledged}, or {@linkplain #leave() left unacknowledged} for the
 * consumer's close to hand to another server. On a killed server every call ends the last way:
 * acknowledging and negatively acknowledging still settle the call but give the bus nothing.
 *
 * <p>Invariants: a call settles exactly once; the first of the three settling methods wins and
 * later calls do nothing, so a path that settles twice by mistake cannot acknowledge a message
 * twice or give back a receive permit that another message holds. The receive permit goes back
 * exactly once: as soon as the bus took the acknowledgement (the handler's work and its reply are
 * done by then, and an acknowledgement's round trip to the broker must not keep the server from
 * taking the next request), or when the call settles the other two ways. Settling completes {@link
 * #settled()} and counts the call out of {@link InFlightCalls} — for an acknowledgement, once the
 * bus completed it, so that a draining server closes its consumer only once the acknowledgements it
 * waited for were sent.
 *
 * <p>Threads: made on the receive path; settled from any thread (handler threads, the bus's
 * completion threads, the timer). Thread-safe; {@link #admitted(Object)} happens before the call is
 * handed to the handler executor, which publishes the value to the handler thread.
 *
 * @param <T> the type of request values
 */
final class InFlightCall<T> {

  private static final Logger log = LoggerFactory.getLogger(InFlightCall.class);

  private final IncomingMessage<T> message;
  private final RequestHeaders headers;
  private final InFlightCalls calls;
  private final Runnable releasePermit;
  private final AtomicBoolean settling = new AtomicBoolean();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final long receivedAtMillis = System.currentTimeMillis();
  private volatile T value;
  private volatile Thread runningOn;

  private InFlightCall(
      IncomingMessage<T> message,
      RequestHeaders headers,
      InFlightCalls calls,
      Runnable releasePermit) {
    this.message = message;
    this.headers = headers;
    this.calls = calls;
    this.releasePermit = releasePermit;
  }

  /**
   * The call of {@code message}, counted in {@code calls} already; {@code releasePermit} gives back
   * the receive permit it holds.
   */
  static <T> InFlightCall<T> of(
      IncomingMessage<T> message, InFlightCalls calls, Runnable releasePermit) {
    RequestHeaders headers =
        RequestHeaders.read(message.key(), message.properties(), message.publishTime());
    InFlightCall<T> call = new InFlightCall<>(message, headers, calls, releasePermit);
    calls.track(call);
    return call;
  }

  IncomingMessage<T> message() {
    return message;
  }

  RequestHeaders headers() {
    return headers;
  }

  String correlationId() {
    return headers.correlationId();
  }

  /** The subscription of the server that holds the call; for logs. */
  String subscription() {
    return calls.subscription();
  }

  /** The decoded request value; null until the call is {@linkplain #admitted admitted}. */
  T value() {
    return value;
  }

  /** Records the decoded value of an admitted request. */
  void admitted(T value) {
    this.value = value;
  }

  /**
   * Records the thread that runs the handler on this call, or null once the handler returned; what
   * an inspection shows as the call's thread.
   */
  void runningOn(Thread thread) {
    this.runningOn = thread;
  }

  /** Counts the call as answered by the handler, with a reply or with an error. */
  void countAnswered(boolean success) {
    calls.countAnswered(success);
  }

  /** What an inspection shows of this call, as it is now. */
  ServerInspection.InFlightCall inspect() {
    Thread thread = runningOn;
    CallKind kind = headers.kind();
    return new ServerInspection.InFlightCall(
        headers.correlationId(),
        message.topic(),
        kind == CallKind.SINGLE ? "single" : kind.wireName(),
        receivedAtMillis,
        headers.deadline(),
        thread == null ? null : thread.getName());
  }

  /**
   * Whether the server was killed: the call's outcome is dropped and the request left to the bus.
   */
  boolean isKilled() {
    return calls.isKilled();
  }

  /**
   * Hands the bus something for this call (a reply) unless the server was killed: {@link
   * InFlightCalls#handOff}.
   */
  <R> CompletableFuture<R> handOff(Supplier<CompletableFuture<R>> handOff) {
    return calls.handOff(handOff);
  }

  /** Completes once the call has settled; its permit was given back by then. */
  CompletableFuture<Void> settled() {
    return settled;
  }

  /** Acknowledges the request, so that it is not delivered again, and settles the call. */
  void acknowledge() {
    if (!startSettling()) {
      return;
    }
    CompletableFuture<Void> acknowledged = calls.handOff(message::acknowledge);
    releasePermit.run();
    acknowledged.whenComplete(
        (ignored, failure) -> {
          if (failure != null && !calls.isKilled()) {
            log.warn(
                "Server {} could not acknowledge request {}; it may be delivered again",
                subscription(),
                message.key(),
                failure);
          }
          settle();
        });
  }

  /** Negatively acknowledges the request, so that it comes back after a delay, and settles. */
  void redeliver() {
    if (!startSettling()) {
      return;
    }
    calls.handOff(
        () -> {
          message.negativeAcknowledge();
          return CompletableFuture.completedFuture(null);
        });
    releasePermit.run();
    settle();
  }

  /**
   * Settles the call leaving the request unacknowledged: closing the consumer hands it to another
   * server of the subscription.
   */
  void leave() {
    if (startSettling()) {
      releasePermit.run();
      settle();
    }
  }

  private boolean startSettling() {
    if (settling.compareAndSet(false, true)) {
      return true;
    }
    log.debug("Server {}: request {} was settled already", subscription(), message.key());
    return false;
  }

  private void settle() {
    calls.untrack(this);
    settled.complete(null);
    calls.end();
  }
}
