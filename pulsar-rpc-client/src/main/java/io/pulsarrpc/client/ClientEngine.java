package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.inspect.ClientInspection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the RPC engine, over any {@link MessageBus}: its lifecycle (subscribing to the
 * reply topic, creating the request producer, closing) and the public API, which turns each call
 * into a {@link ClientCall}, runs it through the interceptors and hands it to its call kind ({@link
 * SingleCall}). Replies reach the calls through the {@link ReplyRouter}, fed by a {@link
 * ReceiveLoop} that keeps {@value #REPLY_RECEIVES_IN_FLIGHT} receives waiting.
 *
 * <p>Thread-safe: the API runs on callers' threads, replies on the bus's delivery threads.
 */
final class ClientEngine<T, V> implements PulsarRpcClient<T, V> {

  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
  // Receives the reply loop keeps waiting at once: buses that read only for waiting receives
  // (Redis, NATS) then fetch replies in batches instead of one read per reply.
  private static final int REPLY_RECEIVES_IN_FLIGHT = 256;

  private final MessageBus bus;
  private final boolean ownsBus;
  private final BusConsumer<V> consumer;
  private final RequestPublisher<T> publisher;
  private final String requestTopic;
  private final String replyTopic;
  private final String replySubscription;
  private final Duration replyTimeout;
  private final Duration claimWindow;
  private final List<ClientInterceptor> interceptors;
  private final PendingRequests<V> pending;
  private final CallSupport<T, V> support;
  private final MultiCallHistory multiCalls = new MultiCallHistory();
  private final ReceiveLoop<V> replies;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  private ClientEngine(
      PulsarRpcClientBuilder<T, V> settings,
      MessageBus bus,
      boolean ownsBus,
      BusProducer<T> producer,
      BusConsumer<V> consumer) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.consumer = consumer;
    this.publisher =
        new RequestPublisher<>(
            bus,
            producer,
            requestSpec(settings),
            settings.replyTopic,
            settings.replySubscription,
            settings.apiVersion,
            RequestPublisher.DEFAULT_IDLE_TIMEOUT);
    this.requestTopic = settings.requestTopic;
    this.replyTopic = settings.replyTopic;
    this.replySubscription = settings.replySubscription;
    this.replyTimeout = settings.replyTimeout;
    this.claimWindow = settings.claimWindow;
    this.interceptors = List.copyOf(settings.interceptors);
    this.pending = new PendingRequests<>(settings.maxPendingRequests);
    CallBackInvoker<V> callBacks =
        new CallBackInvoker<>(settings.requestCallBack, settings.replySubscription);
    this.support = new CallSupport<>(pending, callBacks, publisher, closed::get);
    ReplyRouter<V> router =
        new ReplyRouter<>(pending, callBacks, multiCalls, settings.replySubscription);
    this.replies =
        new ReceiveLoop<>(
            consumer,
            router::route,
            REPLY_RECEIVES_IN_FLIGHT,
            "replies of client " + settings.replySubscription);
  }

  static <T, V> ClientEngine<T, V> start(
      PulsarRpcClientBuilder<T, V> settings, MessageBus bus, boolean ownsBus)
      throws PulsarRpcClientException {
    Pattern pattern = settings.replyTopicsPattern;
    SubscriptionSpec<V> replySpec =
        settings.temporaryReplySubscription
            ? SubscriptionSpec.temporary(
                settings.replyTopic, settings.replySubscription, settings.replySchema)
            : new SubscriptionSpec<>(
                pattern == null ? settings.replyTopic : null,
                pattern,
                settings.replySubscription,
                SubscriptionMode.EXCLUSIVE,
                // A pattern subscription joins a new reply topic after its first replies may have
                // been published there: read it from the start so that none is missed.
                pattern == null ? InitialPosition.LATEST : InitialPosition.EARLIEST,
                settings.replySchema,
                settings.patternAutoDiscoveryInterval,
                SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE);
    BusConsumer<V> consumer = null;
    try {
      consumer =
          awaitSetUp(
              bus.subscribe(replySpec),
              "subscribe to the reply topic "
                  + (pattern == null ? settings.replyTopic : "pattern " + pattern)
                  + " as "
                  + settings.replySubscription);
      BusProducer<T> producer =
          awaitSetUp(
              bus.createProducer(requestSpec(settings)),
              "create a producer for the request topic " + settings.requestTopic);
      ClientEngine<T, V> engine = new ClientEngine<>(settings, bus, ownsBus, producer, consumer);
      engine.replies.start();
      return engine;
    } catch (PulsarRpcClientException | RuntimeException e) {
      if (consumer != null) {
        consumer.closeAsync();
      }
      if (ownsBus) {
        bus.closeAsync();
      }
      throw e;
    }
  }

  @Override
  public V request(String correlationId, T value) throws PulsarRpcClientException {
    return awaitReply(requestAsync(correlationId, value), correlationId);
  }

  @Override
  public V request(String correlationId, T value, Map<String, Object> config)
      throws PulsarRpcClientException {
    return awaitReply(requestAsync(correlationId, value, config), correlationId);
  }

  @Override
  public V request(T value) throws PulsarRpcClientException {
    return request(value, RequestOptions.defaults());
  }

  @Override
  public V request(T value, RequestOptions options) throws PulsarRpcClientException {
    String correlationId = correlationIdOf(options);
    return awaitReply(requestAsync(value, options.withCorrelationId(correlationId)), correlationId);
  }

  @Override
  public CompletableFuture<V> requestAsync(String correlationId, T value) {
    return proposalCall(correlationId, value, Map.of(), 0);
  }

  @Override
  public CompletableFuture<V> requestAsync(
      String correlationId, T value, Map<String, Object> config) {
    return proposalCall(correlationId, value, RequestOptions.checkedMessageConfig(config), 0);
  }

  @Override
  public CompletableFuture<V> requestAsync(T value) {
    return requestAsync(value, RequestOptions.defaults());
  }

  @Override
  public CompletableFuture<V> requestAsync(T value, RequestOptions options) {
    return intercepted(callOf(value, checkedSingle(options)));
  }

  @Override
  public CompletableFuture<V> requestAtAsync(String correlationId, T value, long timestamp) {
    return requestAtAsync(correlationId, value, Map.of(), timestamp);
  }

  @Override
  public CompletableFuture<V> requestAtAsync(
      String correlationId, T value, Map<String, Object> config, long timestamp) {
    long deliverAt = deliveryTime(timestamp);
    return proposalCall(
        correlationId, value, RequestOptions.checkedMessageConfig(config), deliverAt);
  }

  @Override
  public CompletableFuture<V> requestAtAsync(T value, RequestOptions options, long timestamp) {
    checkedSingle(options);
    if (options.claimRequired() || options.selection().isPresent()) {
      throw new IllegalArgumentException(
          "A scheduled call cannot ask for a claim (withTopic, withSelection or"
              + " withClaimRequired): its server claims it only at delivery; send it with"
              + " requestAsync instead");
    }
    long deliverAt = deliveryTime(timestamp);
    return intercepted(
        new ClientCall<>(
            correlationIdOf(options),
            value,
            options.timeout().orElse(replyTimeout),
            options.metadata(),
            options.messageConfig(),
            deliverAt));
  }

  @Override
  public CompletableFuture<V> requestAfterAsync(
      String correlationId, T value, long delay, TimeUnit unit) {
    return requestAfterAsync(correlationId, value, Map.of(), delay, unit);
  }

  @Override
  public CompletableFuture<V> requestAfterAsync(
      String correlationId, T value, Map<String, Object> config, long delay, TimeUnit unit) {
    checkedDelay(delay, unit);
    return requestAtAsync(
        correlationId, value, config, System.currentTimeMillis() + unit.toMillis(delay));
  }

  @Override
  public CompletableFuture<V> requestAfterAsync(
      T value, RequestOptions options, long delay, TimeUnit unit) {
    checkedDelay(delay, unit);
    return requestAtAsync(value, options, System.currentTimeMillis() + unit.toMillis(delay));
  }

  @Override
  public CompletableFuture<List<Response<V>>> requestAllAsync(T value) {
    return requestAllAsync(value, RequestOptions.defaults());
  }

  @Override
  public CompletableFuture<List<Response<V>>> requestAllAsync(T value, RequestOptions options) {
    return requestAllAsync(value, options, response -> {});
  }

  @Override
  public CompletableFuture<List<Response<V>>> requestAllAsync(
      T value, RequestOptions options, Consumer<? super Response<V>> onResponse) {
    checkedOptions(options);
    if (onResponse == null) {
      throw new IllegalArgumentException("onResponse must not be null");
    }
    if (options.selection().isPresent()) {
      throw new IllegalArgumentException(
          "requestAll asks every server: withSelection is for single calls (requestAsync)");
    }
    ClientCall<T> call = callOf(value, options);
    Consumer<Response<V>> listener = onResponse::accept;
    int expectedServers = options.expectedServers().orElse(0);
    if (interceptors.isEmpty()) {
      return sendAll(call, expectedServers, listener);
    }
    return new MultiInterceptorChain<>(
            interceptors,
            0,
            call,
            listener,
            (sent, sentListener) -> sendAll(sent, expectedServers, sentListener))
        .proceed(call, listener);
  }

  @Override
  public List<Response<V>> requestAll(T value) throws PulsarRpcClientException {
    return requestAll(value, RequestOptions.defaults());
  }

  @Override
  public List<Response<V>> requestAll(T value, RequestOptions options)
      throws PulsarRpcClientException {
    String correlationId = correlationIdOf(options);
    return awaitReply(
        requestAllAsync(value, options.withCorrelationId(correlationId)), correlationId);
  }

  @Override
  public void removeRequest(String correlationId) {
    PendingCall<V> call = pending.remove(correlationId);
    if (call != null) {
      call.removed();
    }
  }

  @Override
  public int pendingRequestSize() {
    return pending.size();
  }

  @Override
  public ClientInspection inspect() {
    return new ClientInspection(
        requestTopic,
        replyTopic,
        replySubscription,
        // Lock-free reads of the bus's own state: inspect() must not wait on the call path.
        !closed.get() && consumer.isConnected() && publisher.isConnected(),
        System.currentTimeMillis(),
        pending.snapshot());
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return closeFuture;
    }
    replies.stop();
    for (PendingCall<V> call : pending.drain()) {
      call.closed(
          new ClientClosedException(
              "PulsarRpcClient was closed while request " + call.correlationId + " was pending"));
    }
    CompletableFuture.allOf(
            quietly(consumer.closeAsync(), "reply consumer"),
            quietly(publisher.closeAsync(), "request producer"))
        .thenCompose(ignored -> ownsBus ? quietly(bus.closeAsync(), "bus") : done())
        .whenComplete((ignored, failure) -> closeFuture.complete(null));
    return closeFuture;
  }

  @Override
  public void close() {
    try {
      closeAsync().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Closing the client failed", e.getCause());
    }
  }

  /** A call of the proposal's API: the caller's id, the client's timeout, no metadata. */
  private CompletableFuture<V> proposalCall(
      String correlationId, T value, Map<String, Object> messageConfig, long deliverAt) {
    return intercepted(
        new ClientCall<>(
            checkedId(correlationId), value, replyTimeout, Map.of(), messageConfig, deliverAt));
  }

  private CompletableFuture<V> intercepted(ClientCall<T> call) {
    if (interceptors.isEmpty()) {
      return send(call);
    }
    return new InterceptorChain<>(interceptors, 0, call, this::send).proceed(call);
  }

  private static <T, V> ProducerSpec<T> requestSpec(PulsarRpcClientBuilder<T, V> settings) {
    return new ProducerSpec<>(
        settings.requestTopic, settings.requestSchema, settings.requestProducerConfig);
  }

  /** A call made with {@code options}, sent at once. */
  private ClientCall<T> callOf(T value, RequestOptions options) {
    return new ClientCall<>(
        correlationIdOf(options),
        value,
        options.timeout().orElse(replyTimeout),
        options.metadata(),
        options.messageConfig(),
        0,
        options.topic().orElse(null),
        options.selection().orElse(null),
        options.claimRequired());
  }

  /** The end of a multi-call's interceptor chain. */
  private CompletableFuture<List<Response<V>>> sendAll(
      ClientCall<T> call, int expectedServers, Consumer<Response<V>> listener) {
    return MultiCall.start(call, support, multiCalls, claimWindow, expectedServers, listener);
  }

  /** The end of the interceptor chain: the call kind tracks the call and publishes its request. */
  private CompletableFuture<V> send(ClientCall<T> call) {
    return SingleCall.start(call, support, claimWindow);
  }

  private static <R> R awaitReply(CompletableFuture<R> future, String correlationId)
      throws PulsarRpcClientException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new PulsarRpcClientException(
          ErrorCode.CANCELED, "Interrupted while waiting for the reply to " + correlationId, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof PulsarRpcClientException rpcException) {
        throw rpcException;
      }
      throw new PulsarRpcClientException(
          "Request " + correlationId + " failed: " + cause.getMessage(), cause);
    } catch (java.util.concurrent.CancellationException e) {
      throw new PulsarRpcClientException(
          ErrorCode.CANCELED, "Request " + correlationId + " was cancelled", e);
    }
  }

  private static <R> R awaitSetUp(CompletableFuture<R> future, String what)
      throws PulsarRpcClientException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PulsarRpcClientException("Interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new PulsarRpcClientException(
          "Could not " + what + ": " + Failures.describe(e.getCause()), e.getCause());
    }
  }

  private static String checkedId(String correlationId) {
    if (correlationId == null || correlationId.isBlank()) {
      throw new IllegalArgumentException("correlationId must not be blank");
    }
    return correlationId;
  }

  private static String correlationIdOf(RequestOptions options) {
    return checkedOptions(options).correlationId().orElseGet(() -> UUID.randomUUID().toString());
  }

  /** The options of a single call, which cannot say how many servers to wait for. */
  private static RequestOptions checkedSingle(RequestOptions options) {
    if (checkedOptions(options).expectedServers().isPresent()) {
      throw new IllegalArgumentException(
          "withExpectedServers is for multi-calls (requestAll): a single call has one server");
    }
    return options;
  }

  private static RequestOptions checkedOptions(RequestOptions options) {
    if (options == null) {
      throw new IllegalArgumentException(
          "options must not be null: use RequestOptions.defaults() for the client's settings");
    }
    return options;
  }

  private static void checkedDelay(long delay, TimeUnit unit) {
    if (delay < 0 || unit == null) {
      throw new IllegalArgumentException(
          "delay must be zero or positive with a unit, got " + delay + " " + unit);
    }
  }

  /**
   * The {@code deliverAt} of a call scheduled at {@code timestamp}: 0 (now) for a time that is not
   * in the future, so that the deadline does not start in the past.
   */
  private long deliveryTime(long timestamp) {
    if (timestamp <= 0) {
      throw new IllegalArgumentException(
          "timestamp must be epoch milliseconds (positive), got " + timestamp);
    }
    if (!bus.supportsDelayedDelivery()) {
      throw new UnsupportedOperationException(
          "The " + bus.name() + " bus cannot delay delivery: scheduled requests are not possible");
    }
    return timestamp > System.currentTimeMillis() ? timestamp : 0;
  }

  private static CompletableFuture<Void> quietly(CompletableFuture<Void> closing, String what) {
    return closing.handle(
        (ignored, failure) -> {
          if (failure != null) {
            log.warn("Closing the {} failed", what, failure);
          }
          return null;
        });
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
