package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.common.internal.ApiVersions;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.common.internal.ThreadDump;
import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the RPC engine, over any {@link MessageBus}: its lifecycle (subscribe and
 * start the receive loop, drain and close) and the wiring of the pieces a request goes through —
 * {@link RequestAdmission} decides, {@link DuplicateRequests} (when deduplication is on) answers
 * duplicates, {@link HandlerInvocation} runs the handler, {@link ReplyPublisher} answers, and
 * {@link InFlightCall} settles each request exactly once. With an affinity function, {@link
 * AffinityOffers} takes part in affinity calls, through the same admission and handler path.
 *
 * <p>Invariants: a request is taken from the bus only while fewer than {@code
 * maxConcurrentRequests} are being handled or answered (the {@link ReceiveLoop}'s permits; a
 * request whose acknowledgement the bus took holds none while that acknowledgement travels, see
 * {@link InFlightCall}); once closing began, no request begins, and requests held or received
 * meanwhile are left unacknowledged for another server; the consumer closes only after the requests
 * in flight settled or the grace period ended — or at once when the server is killed, after which
 * nothing is acknowledged or published ({@link InFlightCalls#kill()}). The resources close once,
 * whichever of close and kill comes first.
 *
 * <p>Threads: requests arrive on the bus's delivery threads (never blocked here); handlers and
 * replies run on the handler executor; held requests wait on the {@link SharedTimer}. Public
 * methods are thread-safe.
 */
final class ServerEngine<T, V> implements PulsarRpcServer<T, V> {

  private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);
  private static final int MAX_RECEIVER_QUEUE = 1000;

  private final MessageBus bus;
  private final boolean ownsBus;
  private final BusConsumer<T> consumer;
  private final String subscription;
  private final String serverId = UUID.randomUUID().toString();
  private final long startedAtMillis = System.currentTimeMillis();
  private final String requestTopic;
  private final String requestTopics;
  private final ApiVersions apiVersions;
  private final Duration shutdownGracePeriod;
  private final HandlerPool ownedExecutor;
  private final ReplyProducerPool<V> replyProducers;
  private final ReplyDeduplication<V> deduplication;
  private final RequestAdmission<T> admission;
  private final ReplyPublisher<T, V> publisher;
  private final DuplicateRequests<T, V> duplicates;
  private final HandlerInvocation<T, V> invocation;
  private final InFlightCalls calls;
  private final ReceiveLoop<T> requests;
  private final TopicSubscriptions<T> topics;
  private final AffinityOffers<T, V> affinity;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean killed = new AtomicBoolean();
  private final AtomicBoolean tornDown = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  // Set once in start(), after the server itself runs; null without a control token.
  private volatile PulsarRpcServer<InspectionRequest, ServerInspection> control;

  private ServerEngine(
      PulsarRpcServerBuilder<T, V> settings,
      MessageBus bus,
      boolean ownsBus,
      BusConsumer<T> consumer,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBackFunction) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.consumer = consumer;
    this.subscription = settings.requestSubscription;
    this.requestTopic = settings.requestTopic;
    this.requestTopics =
        settings.requestTopic != null
            ? settings.requestTopic
            : settings.requestTopicsPattern.pattern();
    this.apiVersions = settings.apiVersions();
    this.shutdownGracePeriod = settings.shutdownGracePeriod;
    Executor executor;
    if (settings.handlerExecutor != null) {
      executor = settings.handlerExecutor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          new HandlerPool(
              settings.maxConcurrentRequests,
              60,
              TimeUnit.SECONDS,
              "pulsar-rpc-server-" + subscription);
      executor = ownedExecutor;
    }
    this.replyProducers =
        new ReplyProducerPool<>(
            bus,
            settings.replySchema,
            settings.replyProducerConfig,
            settings.replyProducerIdleTimeout);
    this.deduplication =
        settings.deduplicationWindow == null
            ? null
            : new ReplyDeduplication<>(
                settings.deduplicationStore == null
                    ? DeduplicationStore.inMemory(
                        PulsarRpcServerBuilder.DEFAULT_DEDUPLICATION_MAX_ENTRIES)
                    : settings.deduplicationStore,
                settings.deduplicationStore == null,
                settings.deduplicationWindow,
                settings.replySchema,
                subscription);
    this.calls = new InFlightCalls(subscription);
    this.admission =
        new RequestAdmission<>(
            subscription,
            settings.replyTopicAllowList,
            settings.earlyDeliveryTolerance.toMillis(),
            settings.maxRequestSize,
            settings.apiVersions());
    this.publisher = new ReplyPublisher<>(subscription, serverId, replyProducers, executor);
    this.duplicates =
        deduplication == null
            ? null
            : new DuplicateRequests<>(
                subscription, deduplication, publisher, executor, this::due, this::run);
    this.invocation =
        new HandlerInvocation<>(
            subscription,
            ServerInterceptorChain.around(settings.interceptors, handler),
            rollBackFunction,
            executor,
            duplicates == null ? publisher::reply : duplicates::rememberAndReply,
            publisher::claimIfAsked);
    this.affinity =
        settings.affinity == null
            ? null
            : new AffinityOffers<>(
                settings, bus, serverId, calls, replyProducers, executor, this::admit, this::run);
    this.requests =
        new ReceiveLoop<>(
            consumer,
            this::onRequest,
            settings.maxConcurrentRequests,
            "requests of server " + subscription);
    this.topics =
        settings.requestTopicsPattern != null
            ? null
            : new TopicSubscriptions<>(
                bus,
                settings.requestTopic,
                subscription,
                settings.requestSchema,
                receiverQueueSize(settings),
                settings.maxConcurrentRequests,
                shutdownGracePeriod,
                this::onRequest);
  }

  private static int receiverQueueSize(PulsarRpcServerBuilder<?, ?> settings) {
    return Math.min(settings.maxConcurrentRequests, MAX_RECEIVER_QUEUE);
  }

  static <T, V> ServerEngine<T, V> start(
      PulsarRpcServerBuilder<T, V> settings,
      MessageBus bus,
      boolean ownsBus,
      RequestHandler<T, V> handler,
      BiConsumer<String, T> rollBackFunction)
      throws PulsarRpcServerException {
    try {
      bus.checkProducerConfig(settings.replyProducerConfig);
    } catch (IllegalArgumentException e) {
      closeOwned(bus, ownsBus);
      throw new IllegalArgumentException(
          "Cannot build PulsarRpcServer: replyProducerConfig is refused: " + e.getMessage(), e);
    }
    Pattern pattern = settings.requestTopicsPattern;
    String what =
        "subscribe to "
            + (pattern == null ? settings.requestTopic : "pattern " + pattern)
            + " as "
            + settings.requestSubscription;
    SubscriptionSpec<T> spec =
        settings.temporarySubscription
            ? SubscriptionSpec.temporary(
                settings.requestTopic, settings.requestSubscription, settings.requestSchema)
            : new SubscriptionSpec<>(
                settings.requestTopic,
                pattern,
                settings.requestSubscription,
                SubscriptionMode.SHARED,
                InitialPosition.EARLIEST,
                settings.requestSchema,
                settings.patternAutoDiscoveryInterval,
                receiverQueueSize(settings));
    BusConsumer<T> consumer;
    try {
      consumer = bus.subscribe(spec).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeOwned(bus, ownsBus);
      throw new PulsarRpcServerException("Interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      closeOwned(bus, ownsBus);
      throw new PulsarRpcServerException(
          "Could not " + what + ": " + Failures.describe(e.getCause()), e.getCause());
    }
    ServerEngine<T, V> engine =
        new ServerEngine<>(settings, bus, ownsBus, consumer, handler, rollBackFunction);
    if (engine.affinity != null) {
      engine.readAffinityCalls();
    }
    engine.requests.start();
    if (settings.controlToken != null) {
      engine.answerControlCalls(settings);
    }
    return engine;
  }

  /** Starts answering on the control topic, or closes the server and says why. */
  private void answerControlCalls(PulsarRpcServerBuilder<T, V> settings)
      throws PulsarRpcServerException {
    try {
      control = ServerControl.start(settings, bus, serverId, this::inspect);
    } catch (PulsarRpcServerException | RuntimeException e) {
      closeAsync();
      throw e;
    }
  }

  /** Subscribes to the request topic's affinity calls, or closes the server and says why. */
  private void readAffinityCalls() throws PulsarRpcServerException {
    String what = "subscribe to the affinity calls of " + subscription;
    try {
      affinity.readAsync(null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAsync();
      throw new PulsarRpcServerException("Interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      closeAsync();
      throw new PulsarRpcServerException(
          "Could not " + what + ": " + Failures.describe(e.getCause()), e.getCause());
    }
  }

  @Override
  public String subscription() {
    return subscription;
  }

  @Override
  public CompletableFuture<Void> registerTopicAsync(String topic) {
    if (topics == null) {
      throw new IllegalStateException(
          "server "
              + subscription
              + " reads a pattern of request topics: it cannot register topic "
              + topic);
    }
    CompletableFuture<Void> registered = topics.register(topic);
    return affinity == null ? registered : registered.thenCompose(ok -> affinity.readAsync(topic));
  }

  @Override
  public CompletableFuture<Void> deregisterTopicAsync(String topic) {
    if (topics == null) {
      return CompletableFuture.completedFuture(null);
    }
    return affinity == null
        ? topics.deregister(topic)
        : CompletableFuture.allOf(topics.deregister(topic), affinity.stopReadingAsync(topic));
  }

  @Override
  public Set<String> topics() {
    return topics == null ? Set.of() : topics.topics();
  }

  @Override
  public ServerInspection inspect() {
    return inspect(false);
  }

  @Override
  public ServerInspection inspect(boolean threadDump) {
    List<String> topicsRead = new ArrayList<>();
    topicsRead.add(requestTopics);
    for (String topic : topics()) {
      topicsRead.add(CallTopics.requestTopic(requestTopic, topic));
    }
    return new ServerInspection(
        serverId,
        topicsRead,
        subscription,
        isConnected(),
        affinity == null ? List.of("single", "multi") : List.of("single", "multi", "affinity"),
        apiVersions == null ? 0 : apiVersions.minimum(),
        apiVersions == null ? 0 : apiVersions.current(),
        startedAtMillis,
        System.currentTimeMillis(),
        calls.counters(),
        calls.snapshot(),
        threadDump ? ThreadDump.ofThisJvm() : null);
  }

  /**
   * Whether the bus can deliver requests to this server and take its replies: not closing, and
   * every consumer and reply producer it holds connected. Lock-free, for {@link #inspect}.
   */
  private boolean isConnected() {
    return !closing.get()
        && consumer.isConnected()
        && (topics == null || topics.allConnected())
        && (affinity == null || affinity.allConnected())
        && replyProducers.allConnected();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    if (!closing.compareAndSet(false, true)) {
      return closed;
    }
    requests.stop();
    if (topics != null) {
      topics.stopAll();
    }
    if (affinity != null) {
      affinity.stop();
    }
    calls
        .drain()
        .completeOnTimeout(null, shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(
            ignored -> {
              if (calls.count() > 0 && !calls.isKilled()) {
                log.warn(
                    "Server {} closes with {} requests unfinished after the grace period of {};"
                        + " they will be redelivered",
                    subscription,
                    calls.count(),
                    shutdownGracePeriod);
              }
              return tearDown();
            });
    return closed;
  }

  @Override
  public void kill() {
    closing.set(true);
    if (!killed.compareAndSet(false, true)) {
      return;
    }
    requests.stop();
    if (topics != null) {
      topics.stopAll();
    }
    if (control != null) {
      control.kill();
    }
    calls.kill();
    if (affinity != null) {
      affinity.stop();
    }
    log.info(
        "Server {} killed with {} requests in flight; they stay unacknowledged for another server",
        subscription,
        calls.count());
    if (ownedExecutor != null) {
      // Queued handlers do not start; running ones finish, and their outcome is dropped.
      ownedExecutor.shutdown();
    }
    tearDown();
  }

  /**
   * Closes the consumer (what it did not acknowledge goes back to the subscription), then the reply
   * producers, the deduplication store the server owns, the handler pool and the bus if owned;
   * once, whether closing or killing gets here first or both do.
   */
  private CompletableFuture<Void> tearDown() {
    if (!tornDown.compareAndSet(false, true)) {
      return closed;
    }
    PulsarRpcServer<?, ?> controlServer = control;
    CompletableFuture.allOf(
            consumer.closeAsync(),
            controlServer == null
                ? CompletableFuture.completedFuture(null)
                : controlServer.closeAsync(),
            topics == null ? CompletableFuture.completedFuture(null) : topics.closeAll(),
            affinity == null ? CompletableFuture.completedFuture(null) : affinity.closeAsync())
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.warn("Closing the request consumer of server {} failed", subscription, failure);
              }
              replyProducers.close();
              if (deduplication != null) {
                deduplication.close();
              }
              if (ownedExecutor != null) {
                ownedExecutor.shutdown();
              }
              return ownsBus ? bus.closeAsync() : CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(Function.identity())
        .whenComplete((ignored, failure) -> closed.complete(null));
    return closed;
  }

  @Override
  public void close() {
    try {
      closeAsync().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Closing server {} failed", subscription, e.getCause());
    }
  }

  /** How many reply producers are open; for tests. */
  int replyProducerCount() {
    return replyProducers.size();
  }

  private void onRequest(IncomingMessage<T> message, Runnable release) {
    if (!calls.tryBegin()) {
      // Left unacknowledged: closing the consumer hands it to another server.
      release.run();
      return;
    }
    InFlightCall<T> call = InFlightCall.of(message, calls, release);
    admit(call, this::process);
  }

  /**
   * Hands {@code call} to {@code whenAdmitted} once admission lets it run (at once, or when its
   * delivery time came); otherwise refuses or acknowledges it, as admission decides.
   */
  private void admit(InFlightCall<T> call, Consumer<InFlightCall<T>> whenAdmitted) {
    act(call, admission.onArrival(call), whenAdmitted);
  }

  /** Looks at a request again once a run it waited for settled. */
  private void due(InFlightCall<T> call) {
    due(call, this::process);
  }

  /** Looks at a request again once its delivery time came, or a run it waited for settled. */
  private void due(InFlightCall<T> call, Consumer<InFlightCall<T>> whenAdmitted) {
    if (calls.isDraining()) {
      // Held while the server began closing: unacknowledged, another server takes it.
      call.leave();
      return;
    }
    act(call, admission.whenDue(call), whenAdmitted);
  }

  private void act(
      InFlightCall<T> call,
      RequestAdmission.Decision<T> decision,
      Consumer<InFlightCall<T>> whenAdmitted) {
    if (decision instanceof RequestAdmission.Run<T> admitted) {
      call.admitted(admitted.value());
      whenAdmitted.accept(call);
    } else if (decision instanceof RequestAdmission.HoldUntilDue<T> hold) {
      SharedTimer.delayedExecutor(
              hold.delayMillis(), TimeUnit.MILLISECONDS, ForkJoinPool.commonPool())
          .execute(() -> due(call, whenAdmitted));
    } else if (decision instanceof RequestAdmission.Refuse<T> refusal) {
      calls.countRejected();
      publisher.refuse(call, refusal);
    } else {
      call.acknowledge();
    }
  }

  /** Runs an admitted call of the request topic, through deduplication when it is on. */
  private void process(InFlightCall<T> call) {
    if (duplicates != null) {
      duplicates.process(call);
    } else {
      run(call);
    }
  }

  private void run(InFlightCall<T> call) {
    invocation.start(call);
  }

  private static void closeOwned(MessageBus bus, boolean ownsBus) {
    if (ownsBus) {
      bus.closeAsync();
    }
  }
}
