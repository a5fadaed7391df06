package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.WireProperties;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server instance's part in affinity calls: it reads the affinity topic of the request topic
 * (and of each registered call topic) with a temporary subscription of its own, so that it sees
 * every affinity request and every selection, whichever request subscription it has.
 *
 * <ul>
 *   <li>An affinity request goes through the server's admission; once admitted, the affinity
 *       function scores it on the handler executor. A negative or NaN score, or a function that
 *       throws, means no offer, and the request is acknowledged. Otherwise the server holds the
 *       request and publishes an offer (its instance id and the score) on the reply topic.
 *   <li>A selection of this instance runs the held request through the normal path ({@link
 *       InFlightCall}, handler, reply); a selection of another instance drops it (acknowledged). A
 *       held request nobody selects is acknowledged and forgotten at its deadline.
 * </ul>
 *
 * <p>Invariants: at most {@code maxHeld} requests are held or running after their selection at once
 * (a slot is taken before the offer, and given back when the request is dropped or, once selected,
 * when its call settles); beyond that the server does not offer. A held request leaves the held
 * table exactly once (selection, deadline, failed offer or stop: whoever removes it settles it), so
 * a selection that comes twice runs the request once, and a selection of a call this instance does
 * not hold does nothing. After {@link #stop()} nothing is held: held requests are left
 * unacknowledged, and their temporary subscription goes with its consumer (affinity calls are not
 * durable).
 *
 * <p>Threads: messages arrive on the bus's delivery threads and are handled without blocking;
 * scoring and offers run on the handler executor; deadlines on the {@link SharedTimer}.
 * Thread-safe.
 *
 * @param <T> the type of request values
 * @param <V> the type of reply values
 */
final class AffinityOffers<T, V> {

  /** How a request is admitted: the server's admission, shared with its other requests. */
  @FunctionalInterface
  interface Admission<T> {
    /**
     * Admits {@code call} and hands it to {@code whenAdmitted} once it may run (at once, or when
     * its delivery time came); otherwise refuses or acknowledges it, as admission decides.
     */
    void admit(InFlightCall<T> call, Consumer<InFlightCall<T>> whenAdmitted);
  }

  private static final Logger log = LoggerFactory.getLogger(AffinityOffers.class);

  /**
   * Receives outstanding per affinity topic: one, so that the messages of a topic are handled one
   * at a time in the bus's order (a selection after the request it selects, a second selection
   * after the first). Each message is handled without blocking and gives its permit back at once,
   * so a receive always waits on the consumer (a temporary NATS JetStream consumer without one is
   * deleted by the server after its inactive threshold).
   */
  private static final int RECEIVES_AHEAD = 1;

  private final MessageBus bus;
  private final String requestTopic;
  private final Schema<T> schema;
  private final String subscription;
  private final String serverId;
  private final ToDoubleFunction<T> affinity;
  private final InFlightCalls calls;
  private final ReplyProducerPool<V> producers;
  private final Executor executor;
  private final Admission<T> admission;
  private final Consumer<InFlightCall<T>> run;
  private final Semaphore slots;
  private final Map<String, Held<T>> held = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Reader<T>>> readers = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /** A request this instance offered to run, until it is selected, dropped or expires. */
  private static final class Held<T> {
    final InFlightCall<T> call;
    final Runnable slot;
    volatile ScheduledFuture<?> expiry;

    Held(InFlightCall<T> call, Runnable slot) {
      this.call = call;
      this.slot = slot;
    }

    void cancelExpiry() {
      ScheduledFuture<?> timer = expiry;
      if (timer != null) {
        timer.cancel(false);
      }
    }

    /**
     * Acknowledges a request that will not run. Its slot is free at once, not once the bus
     * confirmed the acknowledgement: the next request handled after a selection may take it.
     */
    void drop() {
      cancelExpiry();
      slot.run();
      call.acknowledge();
    }

    /** Leaves a request that will not run unacknowledged (the server stops). */
    void leave() {
      cancelExpiry();
      call.leave();
    }
  }

  /** The consumer of one affinity topic and the loop that reads it. */
  private record Reader<T>(BusConsumer<T> consumer, ReceiveLoop<T> loop) {}

  /**
   * @param settings the server's settings: request topic and schema, subscription, the affinity
   *     function, and {@code maxConcurrentRequests}, the most requests held at once
   * @param serverId this server instance's id, on its offers
   * @param run runs a selected call: handler, then reply
   */
  AffinityOffers(
      PulsarRpcServerBuilder<T, V> settings,
      MessageBus bus,
      String serverId,
      InFlightCalls calls,
      ReplyProducerPool<V> producers,
      Executor executor,
      Admission<T> admission,
      Consumer<InFlightCall<T>> run) {
    this.bus = bus;
    this.requestTopic = settings.requestTopic;
    this.schema = settings.requestSchema;
    this.subscription = settings.requestSubscription;
    this.serverId = serverId;
    this.affinity = settings.affinity;
    this.calls = calls;
    this.producers = producers;
    this.executor = executor;
    this.admission = admission;
    this.run = run;
    this.slots = new Semaphore(settings.maxConcurrentRequests);
  }

  /**
   * Starts reading the affinity calls of call topic {@code topic} (null: of the request topic
   * itself). Completes once the temporary subscription exists: affinity calls published from then
   * on reach this instance. Reading a topic twice is reading it once; after a failure, the next
   * call tries again. {@link PulsarRpcServer#registerTopicAsync} calls this for its topic.
   */
  CompletableFuture<Void> readAsync(String topic) {
    String busTopic = CallTopics.affinityTopic(requestTopic, topic);
    CompletableFuture<Reader<T>> reader = readers.computeIfAbsent(busTopic, this::subscribe);
    reader.whenComplete(
        (subscribed, failure) -> {
          if (failure != null) {
            readers.remove(busTopic, reader);
          }
        });
    return reader.thenApply(subscribed -> null);
  }

  /**
   * Stops reading the affinity calls of call topic {@code topic} (null: of the request topic) and
   * drops the requests held for it, whose selections would come on that topic.
   */
  CompletableFuture<Void> stopReadingAsync(String topic) {
    CompletableFuture<Reader<T>> reader =
        readers.remove(CallTopics.affinityTopic(requestTopic, topic));
    if (reader == null) {
      return CompletableFuture.completedFuture(null);
    }
    held.forEach(
        (correlationId, request) -> {
          String heldTopic = request.call.headers().topic();
          if ((topic == null ? heldTopic == null : topic.equals(heldTopic))
              && held.remove(correlationId, request)) {
            request.leave();
          }
        });
    return close(reader);
  }

  /**
   * Stops reading and offering, and leaves every held request unacknowledged; requests already
   * selected run on. Idempotent.
   */
  void stop() {
    stopped = true;
    readers.values().forEach(reader -> reader.thenAccept(r -> r.loop().stop()));
    held.forEach(
        (correlationId, request) -> {
          if (held.remove(correlationId, request)) {
            request.leave();
          }
        });
  }

  /** {@link #stop()}s, then closes the consumers, which removes their temporary subscriptions. */
  CompletableFuture<Void> closeAsync() {
    stop();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    readers.values().forEach(reader -> closing.add(close(reader)));
    readers.clear();
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
  }

  /**
   * Whether the consumer of every affinity topic read is connected ({@link
   * BusConsumer#isConnected()}); one still subscribing, or whose subscription failed, is not
   * counted. Lock-free.
   */
  boolean allConnected() {
    for (CompletableFuture<Reader<T>> reader : readers.values()) {
      if (reader.isDone()
          && !reader.isCompletedExceptionally()
          && !reader.join().consumer().isConnected()) {
        return false;
      }
    }
    return true;
  }

  /** How many requests this instance holds, offered and not yet selected; for tests. */
  int heldCount() {
    return held.size();
  }

  private CompletableFuture<Reader<T>> subscribe(String busTopic) {
    return bus.subscribe(SubscriptionSpec.temporary(busTopic, schema))
        .thenApply(
            consumer -> {
              ReceiveLoop<T> loop =
                  new ReceiveLoop<>(
                      consumer,
                      this::onMessage,
                      RECEIVES_AHEAD,
                      "affinity calls of server " + subscription + " on " + busTopic);
              if (stopped) {
                consumer.closeAsync();
                throw new IllegalStateException(
                    "server " + subscription + " stopped while subscribing to " + busTopic);
              }
              loop.start();
              return new Reader<>(consumer, loop);
            });
  }

  private CompletableFuture<Void> close(CompletableFuture<Reader<T>> reader) {
    return reader
        .thenCompose(
            r -> {
              r.loop().stop();
              return r.consumer().closeAsync();
            })
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.debug(
                    "Closing an affinity consumer of server {} failed", subscription, failure);
              }
              return null;
            });
  }

  private void onMessage(IncomingMessage<T> message, Runnable release) {
    try {
      if (stopped) {
        // Left unacknowledged: the temporary subscription goes with the consumer.
        return;
      }
      if (message.properties().containsKey(WireProperties.MESSAGE)) {
        onSelection(message);
      } else {
        onRequest(message);
      }
    } finally {
      // The receive permit only paces the loop; held requests are bounded by the slots.
      release.run();
    }
  }

  private void onSelection(IncomingMessage<T> message) {
    calls.handOff(message::acknowledge);
    String selected = RequestHeaders.selectedServer(message.properties());
    String correlationId = message.key();
    Held<T> request = selected == null || correlationId == null ? null : held.remove(correlationId);
    if (request == null) {
      log.debug(
          "Server {} ignores a message on the affinity topic for call {} (selecting {}): it holds"
              + " no such call",
          subscription,
          correlationId,
          selected);
      return;
    }
    if (selected.equals(serverId)) {
      log.debug("Server {} was selected for affinity call {}", subscription, correlationId);
      request.cancelExpiry();
      run.accept(request.call);
    } else {
      request.drop();
    }
  }

  private void onRequest(IncomingMessage<T> message) {
    if (!calls.tryBegin()) {
      return;
    }
    Slot slot = new Slot();
    InFlightCall<T> call = InFlightCall.of(message, calls, slot);
    admission.admit(call, admitted -> offerLater(admitted, slot));
  }

  private void offerLater(InFlightCall<T> call, Slot slot) {
    try {
      // The affinity function is user code, and creating a reply producer may block.
      executor.execute(() -> offer(call, slot));
    } catch (RuntimeException e) {
      call.leave();
    }
  }

  private void offer(InFlightCall<T> call, Slot slot) {
    if (stopped || call.isKilled()) {
      call.leave();
      return;
    }
    RequestHeaders request = call.headers();
    String correlationId = request.correlationId();
    double score = score(call);
    if (!(score >= 0)) {
      call.acknowledge();
      return;
    }
    if (!slot.tryTake()) {
      log.debug(
          "Server {} does not offer for affinity call {}: it holds {} calls already",
          subscription,
          correlationId,
          held.size());
      call.acknowledge();
      return;
    }
    Held<T> entry = new Held<>(call, slot);
    if (held.putIfAbsent(correlationId, entry) != null) {
      log.debug("Server {} holds affinity call {} already", subscription, correlationId);
      call.acknowledge();
      return;
    }
    if (stopped) {
      // stop() may have emptied the table before this entry was added.
      if (held.remove(correlationId, entry)) {
        call.leave();
      }
      return;
    }
    entry.expiry =
        SharedTimer.schedule(
            () -> expire(correlationId, entry),
            Math.max(0, request.deadline() - System.currentTimeMillis()),
            TimeUnit.MILLISECONDS);
    producers
        .send(
            request.replyTopic(),
            OutgoingMessage.of(
                correlationId,
                null,
                ReplyHeaders.writeOffer(
                    subscription, serverId, request.replySubscription(), score)),
            call::handOff)
        .whenComplete(
            (messageId, failure) -> {
              if (failure != null && !call.isKilled() && held.remove(correlationId, entry)) {
                log.warn(
                    "Server {} could not offer for affinity call {} on {}",
                    subscription,
                    correlationId,
                    request.replyTopic(),
                    failure);
                entry.drop();
              }
            });
  }

  /** The affinity function's score, or NaN when it failed or gave none: no offer then. */
  private double score(InFlightCall<T> call) {
    double score;
    try {
      score = affinity.applyAsDouble(call.value());
    } catch (RuntimeException e) {
      log.warn(
          "Server {}: the affinity function failed on call {}; no offer",
          subscription,
          call.correlationId(),
          e);
      return Double.NaN;
    }
    if (Double.isNaN(score)) {
      log.warn(
          "Server {}: the affinity function returned NaN for call {}; no offer",
          subscription,
          call.correlationId());
    } else if (score < 0) {
      log.debug(
          "Server {} will not answer affinity call {} (score {})",
          subscription,
          call.correlationId(),
          score);
    }
    return score;
  }

  private void expire(String correlationId, Held<T> entry) {
    if (held.remove(correlationId, entry)) {
      log.debug(
          "Server {}: affinity call {} reached its deadline unselected",
          subscription,
          correlationId);
      entry.drop();
    }
  }

  /**
   * A call's share of the held bound: taken before the offer, given back once, when the call is
   * dropped or, for a call that runs, when it settles (the call's release).
   */
  private final class Slot implements Runnable {
    private final AtomicBoolean taken = new AtomicBoolean();

    boolean tryTake() {
      if (slots.tryAcquire()) {
        taken.set(true);
        return true;
      }
      return false;
    }

    @Override
    public void run() {
      if (taken.compareAndSet(true, false)) {
        slots.release();
      }
    }
  }
}
