package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcServerException;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server side of the RPC engine, over any {@link MessageBus}. */
final class ServerEngine<T, V> implements PulsarRpcServer<T, V> {

  private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);
  private static final int MAX_RECEIVER_QUEUE = 1000;

  private final MessageBus bus;
  private final boolean ownsBus;
  private final BusConsumer<T> consumer;
  private final String subscription;
  private final RequestHandler<T, V> handler;
  private final BiConsumer<String, T> rollBackFunction;
  private final Pattern replyTopicAllowList;
  private final Duration shutdownGracePeriod;
  private final long earlyDeliveryToleranceMillis;
  private final int maxRequestSize;
  private final Executor executor;
  private final HandlerPool ownedExecutor;
  private final ReplyProducerPool<V> replyProducers;
  private final ReplyDeduplication<V> deduplication;
  private final ReceiveLoop<T> requests;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

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
    this.handler = ServerInterceptorChain.around(settings.interceptors, handler);
    this.rollBackFunction = rollBackFunction;
    this.replyTopicAllowList = settings.replyTopicAllowList;
    this.shutdownGracePeriod = settings.shutdownGracePeriod;
    this.earlyDeliveryToleranceMillis = settings.earlyDeliveryTolerance.toMillis();
    this.maxRequestSize = settings.maxRequestSize;
    if (settings.handlerExecutor != null) {
      this.executor = settings.handlerExecutor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          new HandlerPool(
              settings.maxConcurrentRequests,
              60,
              TimeUnit.SECONDS,
              "pulsar-rpc-server-" + subscription);
      this.executor = ownedExecutor;
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
    this.requests =
        new ReceiveLoop<>(
            consumer,
            this::onRequest,
            settings.maxConcurrentRequests,
            "requests of server " + subscription);
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
        new SubscriptionSpec<>(
            settings.requestTopic,
            pattern,
            settings.requestSubscription,
            SubscriptionMode.SHARED,
            InitialPosition.EARLIEST,
            settings.requestSchema,
            settings.patternAutoDiscoveryInterval,
            Math.min(settings.maxConcurrentRequests, MAX_RECEIVER_QUEUE));
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
          "Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    }
    ServerEngine<T, V> engine =
        new ServerEngine<>(settings, bus, ownsBus, consumer, handler, rollBackFunction);
    engine.requests.start();
    return engine;
  }

  @Override
  public String subscription() {
    return subscription;
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    if (!closing.compareAndSet(false, true)) {
      return closed;
    }
    requests.stop();
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
    drained
        .completeOnTimeout(null, shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(
            ignored -> {
              if (inFlight.get() > 0) {
                log.warn(
                    "Server {} closes with {} requests unfinished after the grace period of {};"
                        + " they will be redelivered",
                    subscription,
                    inFlight.get(),
                    shutdownGracePeriod);
              }
              return consumer.closeAsync();
            })
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
    if (closing.get()) {
      // Left unacknowledged: closing the consumer hands it to another server.
      release.run();
      return;
    }
    inFlight.incrementAndGet();
    Runnable settled =
        () -> {
          release.run();
          if (inFlight.decrementAndGet() == 0 && closing.get()) {
            drained.complete(null);
          }
        };
    RequestHeaders request =
        RequestHeaders.read(message.key(), message.properties(), message.publishTime());
    if (request.problem() != null) {
      reject(
          message,
          request,
          ErrorCode.MALFORMED_REQUEST,
          "malformed request: " + request.problem(),
          settled);
      return;
    }
    if (!replyTopicAllowed(request.replyTopic())) {
      log.warn(
          "Server {} refuses request {}: reply topic {} is not in the allow-list {}",
          subscription,
          request.correlationId(),
          request.replyTopic(),
          replyTopicAllowList);
      acknowledge(message, settled);
      return;
    }
    long early = request.deliverAt() - System.currentTimeMillis();
    if (early > earlyDeliveryToleranceMillis) {
      String problem =
          "scheduled request arrived "
              + early
              + " ms before its deliverAt: the broker does not delay delivery (is delayed"
              + " delivery disabled on the broker?); refusing to run it early";
      reject(message, request, ErrorCode.FAILED_PRECONDITION, problem, settled);
      return;
    }
    if (early > 0) {
      // A little early, as brokers may be: hold it, unacknowledged, until its time.
      SharedTimer.delayedExecutor(early, TimeUnit.MILLISECONDS, ForkJoinPool.commonPool())
          .execute(() -> process(message, request, settled));
      return;
    }
    process(message, request, settled);
  }

  private void process(IncomingMessage<T> message, RequestHeaders request, Runnable settled) {
    if (closing.get()) {
      // Held for its time while the server began closing: unacknowledged, another server takes it.
      settled.run();
      return;
    }
    if (System.currentTimeMillis() >= request.deadline()) {
      log.debug(
          "Server {} skips request {}: its deadline passed before it arrived",
          subscription,
          request.correlationId());
      acknowledge(message, settled);
      return;
    }
    if (deduplication != null) {
      processOnce(message, request, settled);
      return;
    }
    run(message, request, settled);
  }

  /**
   * Answers a request seen before with its remembered reply, waits for one running here, or runs
   * it.
   */
  private void processOnce(IncomingMessage<T> message, RequestHeaders request, Runnable settled) {
    String correlationId = request.correlationId();
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = deduplication.claim(correlationId, mine);
    if (running != null) {
      // Delivered again while it runs here: by the time that run settles, its reply is remembered.
      running.whenComplete((ignored, failure) -> process(message, request, settled));
      return;
    }
    Runnable released =
        () -> {
          deduplication.release(correlationId, mine);
          settled.run();
        };
    deduplication
        .find(correlationId)
        .whenComplete(
            (remembered, ignored) -> {
              if (remembered.isEmpty()) {
                run(message, request, released);
                return;
              }
              log.debug(
                  "Server {} answers duplicate request {} with its remembered reply",
                  subscription,
                  correlationId);
              try {
                executor.execute(() -> resend(message, request, remembered.get(), released));
              } catch (RuntimeException e) {
                message.negativeAcknowledge();
                released.run();
              }
            });
  }

  /** Decodes the request and hands it to the handler executor. */
  private void run(IncomingMessage<T> message, RequestHeaders request, Runnable settled) {
    if (maxRequestSize > 0) {
      int size = message.data().length;
      if (size > maxRequestSize) {
        reject(
            message,
            request,
            ErrorCode.INVALID_ARGUMENT,
            "request of "
                + size
                + " bytes is larger than the server's maxRequestSize of "
                + maxRequestSize
                + " bytes",
            settled);
        return;
      }
    }
    T value;
    try {
      value = message.value();
    } catch (MessageDecodeException e) {
      reject(
          message,
          request,
          ErrorCode.MALFORMED_REQUEST,
          "malformed request: cannot decode the request value: " + e.getMessage(),
          settled);
      return;
    }
    if (value == null) {
      reject(
          message,
          request,
          ErrorCode.MALFORMED_REQUEST,
          "malformed request: the request value is null",
          settled);
      return;
    }
    try {
      executor.execute(() -> runFunction(message, request, value, settled));
    } catch (RuntimeException e) {
      log.error(
          "Server {} could not schedule request {}", subscription, request.correlationId(), e);
      message.negativeAcknowledge();
      settled.run();
    }
  }

  private void runFunction(
      IncomingMessage<T> message, RequestHeaders request, T value, Runnable settled) {
    CompletableFuture<V> result;
    try {
      result =
          handler.handle(
              IncomingRequestContext.of(request, subscription, message.topic(), message.id()),
              value);
      if (result == null) {
        result =
            CompletableFuture.failedFuture(
                new IllegalStateException("the request handler returned null, not a future"));
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      result = CompletableFuture.failedFuture(e);
    }
    if (result.isDone()) {
      // Already on a handler thread: settle here rather than queue another task.
      settleWith(result, message, request, value, settled);
    } else {
      // Off the thread that completes the future, which may be the user's own.
      result.whenCompleteAsync(
          (reply, failure) -> settle(message, request, value, reply, failure, settled), executor);
    }
  }

  private void settleWith(
      CompletableFuture<V> done,
      IncomingMessage<T> message,
      RequestHeaders request,
      T value,
      Runnable settled) {
    V reply = null;
    Throwable failure = null;
    try {
      reply = done.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      failure = e;
    }
    settle(message, request, value, reply, failure, settled);
  }

  private void settle(
      IncomingMessage<T> message,
      RequestHeaders request,
      T value,
      V reply,
      Throwable failure,
      Runnable settled) {
    if (System.currentTimeMillis() > request.deadline()) {
      if (failure == null) {
        try {
          rollBackFunction.accept(request.correlationId(), value);
          log.info(
              "Server {} rolled back request {}: it finished after its deadline",
              subscription,
              request.correlationId());
        } catch (RuntimeException e) {
          log.error(
              "Server {}: the rollback of request {} failed",
              subscription,
              request.correlationId(),
              e);
        }
      } else {
        log.warn(
            "Server {}: request {} failed after its deadline; no reply",
            subscription,
            request.correlationId(),
            failure);
      }
      acknowledge(message, settled);
      return;
    }
    if (failure == null) {
      publishReply(message, request, reply, null, false, settled);
    } else {
      publishReply(message, request, null, ErrorReply.of(failure), false, settled);
    }
  }

  /** Answers a request that will not run with an error reply when it can, and settles it. */
  private void reject(
      IncomingMessage<T> message,
      RequestHeaders request,
      ErrorCode code,
      String problem,
      Runnable settled) {
    log.warn(
        "Server {} rejects a request (key {}, topic {}): {}",
        subscription,
        message.key(),
        message.topic(),
        problem);
    if (request.correlationId() == null
        || request.replyTopic() == null
        || !replyTopicAllowed(request.replyTopic())) {
      acknowledge(message, settled);
      return;
    }
    // Creating a reply producer may block: not on the receive path.
    try {
      ReplyHeaders.Error error = new ReplyHeaders.Error(code, problem, Map.of());
      executor.execute(() -> publishReply(message, request, null, error, true, settled));
    } catch (RuntimeException e) {
      acknowledge(message, settled);
    }
  }

  private void resend(
      IncomingMessage<T> message,
      RequestHeaders request,
      RememberedReply remembered,
      Runnable settled) {
    V reply;
    try {
      reply = deduplication.decode(remembered);
    } catch (RuntimeException e) {
      log.warn(
          "Server {} cannot decode the remembered reply to {}; running the request again",
          subscription,
          request.correlationId(),
          e);
      run(message, request, settled);
      return;
    }
    send(message, request, reply, remembered.properties(), false, settled);
  }

  private void publishReply(
      IncomingMessage<T> message,
      RequestHeaders request,
      V reply,
      ReplyHeaders.Error error,
      boolean malformed,
      Runnable settled) {
    Map<String, String> errorProperties = error == null ? Map.of() : error.properties();
    if (deduplication == null || malformed) {
      send(message, request, reply, errorProperties, malformed, settled);
      return;
    }
    // Remembered before it is sent: a server that crashes in between leaves a reply to re-send.
    CompletableFuture<Void> remembered =
        deduplication.remember(request.correlationId(), reply, errorProperties);
    if (remembered.isDone()) {
      send(message, request, reply, errorProperties, false, settled);
    } else {
      // Not on the store's I/O thread: creating a reply producer may block.
      remembered.whenCompleteAsync(
          (ignored, failure) -> send(message, request, reply, errorProperties, false, settled),
          executor);
    }
  }

  private void send(
      IncomingMessage<T> message,
      RequestHeaders request,
      V reply,
      Map<String, String> errorProperties,
      boolean malformed,
      Runnable settled) {
    // Routing properties come from this delivery: a duplicate may name another reply subscription.
    Map<String, String> properties =
        ReplyHeaders.write(
            subscription,
            request.deliverAtProperty(),
            request.replySubscription(),
            errorProperties);
    replyProducers
        .send(
            request.replyTopic(),
            new OutgoingMessage<>(request.correlationId(), reply, properties, 0, Map.of()))
        .whenComplete(
            (messageId, failure) -> {
              // A malformed request would fail the same way again: settle it even unanswered.
              if (failure == null || malformed) {
                if (failure != null) {
                  log.warn(
                      "Server {} could not answer malformed request {}",
                      subscription,
                      request.correlationId(),
                      failure);
                }
                acknowledge(message, settled);
              } else {
                // Unacknowledged, the request comes back and is answered then.
                log.warn(
                    "Server {} could not publish the reply to {} on {}; the request will be"
                        + " redelivered",
                    subscription,
                    request.correlationId(),
                    request.replyTopic(),
                    failure);
                message.negativeAcknowledge();
                settled.run();
              }
            });
  }

  private void acknowledge(IncomingMessage<T> message, Runnable settled) {
    message
        .acknowledge()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                log.warn(
                    "Server {} could not acknowledge request {}; it may be delivered again",
                    subscription,
                    message.key(),
                    failure);
              }
              settled.run();
            });
  }

  private boolean replyTopicAllowed(String replyTopic) {
    return replyTopicAllowList == null || replyTopicAllowList.matcher(replyTopic).matches();
  }

  private static void closeOwned(MessageBus bus, boolean ownsBus) {
    if (ownsBus) {
      bus.closeAsync();
    }
  }
}
