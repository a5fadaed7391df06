package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.MessageDecodeException;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.Failures;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.PulsarRpcClientException;
import io.pulsarrpc.common.PulsarRpcClientException.ClientClosedException;
import io.pulsarrpc.common.PulsarRpcClientException.ReplyErrorException;
import io.pulsarrpc.common.internal.ReceiveLoop;
import io.pulsarrpc.common.internal.ReplyHeaders;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client side of the RPC engine, over any {@link MessageBus}. */
final class ClientEngine<T, V> implements PulsarRpcClient<T, V> {

  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
  private static final RequestCallBack<Object> DEFAULT_CALLBACK = new RequestCallBack<>() {};
  // Receives the reply loop keeps waiting at once: buses that read only for waiting receives
  // (Redis, NATS) then fetch replies in batches instead of one read per reply.
  private static final int REPLY_RECEIVES_IN_FLIGHT = 256;

  private final MessageBus bus;
  private final boolean ownsBus;
  private final BusProducer<T> producer;
  private final BusConsumer<V> consumer;
  private final String replyTopic;
  private final String replySubscription;
  private final Duration replyTimeout;
  private final RequestCallBack<V> callBack;
  private final List<ClientInterceptor> interceptors;
  // The user's callback overrides only the proposal's onReplyError(String): call that one.
  private final boolean proposalErrorCallBack;
  private final PendingRequests<V> pending;
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
    this.producer = producer;
    this.consumer = consumer;
    this.replyTopic = settings.replyTopic;
    this.replySubscription = settings.replySubscription;
    this.replyTimeout = settings.replyTimeout;
    this.callBack = settings.requestCallBack != null ? settings.requestCallBack : defaultCallBack();
    this.interceptors = List.copyOf(settings.interceptors);
    this.proposalErrorCallBack =
        overridesOnReplyError(callBack, String.class)
            && !overridesOnReplyError(callBack, ReplyErrorException.class);
    this.pending = new PendingRequests<>(settings.maxPendingRequests);
    this.replies =
        new ReceiveLoop<>(
            consumer,
            this::onReply,
            REPLY_RECEIVES_IN_FLIGHT,
            "replies of client " + settings.replySubscription);
  }

  static <T, V> ClientEngine<T, V> start(
      PulsarRpcClientBuilder<T, V> settings, MessageBus bus, boolean ownsBus)
      throws PulsarRpcClientException {
    Pattern pattern = settings.replyTopicsPattern;
    SubscriptionSpec<V> replySpec =
        new SubscriptionSpec<>(
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
              bus.createProducer(
                  new ProducerSpec<>(
                      settings.requestTopic,
                      settings.requestSchema,
                      settings.requestProducerConfig)),
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
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    return intercepted(
        new ClientCall<>(
            correlationIdOf(options),
            value,
            options.timeout().orElse(replyTimeout),
            options.metadata(),
            options.messageConfig(),
            0));
  }

  @Override
  public CompletableFuture<V> requestAtAsync(String correlationId, T value, long timestamp) {
    return requestAtAsync(correlationId, value, Map.of(), timestamp);
  }

  @Override
  public CompletableFuture<V> requestAtAsync(
      String correlationId, T value, Map<String, Object> config, long timestamp) {
    if (timestamp <= 0) {
      throw new IllegalArgumentException(
          "timestamp must be epoch milliseconds (positive), got " + timestamp);
    }
    if (!bus.supportsDelayedDelivery()) {
      throw new UnsupportedOperationException(
          "The " + bus.name() + " bus cannot delay delivery: scheduled requests are not possible");
    }
    // A time that is not in the future is now: the deadline must not start in the past.
    long deliverAt = timestamp > System.currentTimeMillis() ? timestamp : 0;
    return proposalCall(
        correlationId, value, RequestOptions.checkedMessageConfig(config), deliverAt);
  }

  @Override
  public CompletableFuture<V> requestAfterAsync(
      String correlationId, T value, long delay, TimeUnit unit) {
    return requestAfterAsync(correlationId, value, Map.of(), delay, unit);
  }

  @Override
  public CompletableFuture<V> requestAfterAsync(
      String correlationId, T value, Map<String, Object> config, long delay, TimeUnit unit) {
    if (delay < 0 || unit == null) {
      throw new IllegalArgumentException(
          "delay must be zero or positive with a unit, got " + delay + " " + unit);
    }
    return requestAtAsync(
        correlationId, value, config, System.currentTimeMillis() + unit.toMillis(delay));
  }

  @Override
  public void removeRequest(String correlationId) {
    PendingRequests.Call<V> call = pending.remove(correlationId);
    if (call != null) {
      call.cancelDeadlineTimer();
    }
  }

  @Override
  public int pendingRequestSize() {
    return pending.size();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return closeFuture;
    }
    replies.stop();
    for (PendingRequests.Call<V> call : pending.drain()) {
      call.cancelDeadlineTimer();
      call.future.completeExceptionally(
          new ClientClosedException(
              "PulsarRpcClient was closed while request " + call.correlationId + " was pending"));
    }
    CompletableFuture.allOf(
            quietly(consumer.closeAsync(), "reply consumer"),
            quietly(producer.closeAsync(), "request producer"))
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

  /** The end of the interceptor chain: tracks the call and publishes its request. */
  private CompletableFuture<V> send(ClientCall<T> clientCall) {
    String correlationId = clientCall.correlationId();
    T value = clientCall.value();
    Duration timeout = clientCall.timeout();
    Map<String, Object> messageConfig = clientCall.messageConfig();
    Map<String, String> metadata = clientCall.metadata();
    long deliverAt = clientCall.deliverAtMillis();
    CompletableFuture<V> future = new CompletableFuture<>();
    if (closed.get()) {
      future.completeExceptionally(closedException(correlationId));
      return future;
    }
    PendingRequests.Call<V> call = new PendingRequests.Call<>(correlationId, future);
    switch (pending.add(call)) {
      case DUPLICATE -> {
        future.completeExceptionally(
            new PulsarRpcClientException.DuplicateCorrelationIdException(
                "A request with correlation id " + correlationId + " is already pending"));
        return future;
      }
      case FULL -> {
        future.completeExceptionally(
            new PulsarRpcClientException.TooManyPendingRequestsException(
                "Request "
                    + correlationId
                    + " refused: "
                    + pending.size()
                    + " requests are pending, the most this client allows (maxPendingRequests)"));
        return future;
      }
      case ADDED -> {}
    }
    long now = System.currentTimeMillis();
    long deadline = (deliverAt > 0 ? deliverAt : now) + timeout.toMillis();
    // The caller's future completes only once the call has left the table, so that
    // pendingRequestSize() never counts a call whose caller has its answer. The callback completes
    // the inner future; cancelling the caller's future cancels the call.
    CompletableFuture<V> callerFuture = new CompletableFuture<>();
    future.whenComplete(
        (reply, failure) -> {
          pending.remove(call);
          call.cancelDeadlineTimer();
          if (failure == null) {
            callerFuture.complete(reply);
          } else {
            callerFuture.completeExceptionally(failure);
          }
        });
    callerFuture.whenComplete(
        (reply, failure) -> {
          if (failure instanceof java.util.concurrent.CancellationException) {
            future.cancel(false);
          }
        });
    // Deadlines fire on the SDK's shared timer; expire() only completes futures.
    call.deadlineTimer =
        SharedTimer.schedule(
            () -> expire(call, timeout, deadline), deadline - now, TimeUnit.MILLISECONDS);
    if (closed.get()) {
      // close() drained the pending calls before this one was added, or is draining them now.
      call.cancelDeadlineTimer();
      future.completeExceptionally(closedException(correlationId));
      return callerFuture;
    }
    Map<String, String> properties =
        RequestHeaders.write(
            replyTopic, replySubscription, timeout.toMillis(), deliverAt, metadata);
    CompletableFuture<MessageId> sent;
    try {
      sent =
          producer.send(
              new OutgoingMessage<>(correlationId, value, properties, deliverAt, messageConfig));
    } catch (IllegalArgumentException e) {
      removeRequest(correlationId);
      future.cancel(false);
      throw e;
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (messageId, failure) -> {
          if (failure == null) {
            safely(
                () -> callBack.onSendRequestSuccess(correlationId, messageId),
                "onSendRequestSuccess");
          } else {
            pending.remove(call);
            Throwable cause = Failures.unwrapped(failure);
            safely(
                () -> callBack.onSendRequestError(correlationId, cause, future),
                "onSendRequestError");
          }
        });
    return callerFuture;
  }

  private void expire(PendingRequests.Call<V> call, Duration timeout, long deadline) {
    if (call.future.isDone()) {
      return;
    }
    pending.remove(call);
    PulsarRpcClientException.TimeoutException timeoutException =
        new PulsarRpcClientException.TimeoutException(
            "No reply to request "
                + call.correlationId
                + " within "
                + timeout.toMillis()
                + " ms (deadline "
                + Instant.ofEpochMilli(deadline)
                + ")");
    // The callback runs first, so that whoever sees the failed future knows it has run.
    safely(() -> callBack.onTimeout(call.correlationId, timeoutException), "onTimeout");
    call.future.completeExceptionally(timeoutException);
  }

  private void onReply(IncomingMessage<V> message, Runnable release) {
    try {
      String correlationId = message.key();
      if (correlationId == null) {
        log.warn(
            "Client {} ignores a message without key on {}: not a reply",
            replySubscription,
            message.topic());
        acknowledge(message, null);
        return;
      }
      ReplyHeaders headers = ReplyHeaders.read(message.properties());
      if (!headers.isFor(replySubscription)) {
        acknowledge(message, correlationId);
        return;
      }
      String serverSubscription = headers.serverSubscription();
      PendingRequests.Call<V> call = pending.get(correlationId);
      CompletableFuture<V> future = call != null ? call.future : new CompletableFuture<>();
      ReplyHeaders.Error error = headers.error();
      if (error != null) {
        replyError(
            correlationId,
            future,
            new ReplyErrorException(
                serverSubscription, error.code(), error.message(), error.details()));
      } else {
        V value;
        try {
          value = message.value();
        } catch (MessageDecodeException e) {
          replyError(
              correlationId,
              future,
              new ReplyErrorException(
                  serverSubscription,
                  ErrorCode.MALFORMED_RESPONSE,
                  "malformed reply: " + e.getMessage(),
                  Map.of()));
          acknowledge(message, correlationId);
          return;
        }
        safely(
            () -> callBack.onReplySuccess(correlationId, serverSubscription, value, future),
            "onReplySuccess");
      }
      acknowledge(message, correlationId);
    } finally {
      release.run();
    }
  }

  private void replyError(
      String correlationId, CompletableFuture<V> future, ReplyErrorException error) {
    if (proposalErrorCallBack) {
      CurrentReplyError.runWith(
          error,
          () ->
              safely(
                  () ->
                      callBack.onReplyError(
                          correlationId, error.serverSubscription(), error.errorMessage(), future),
                  "onReplyError"));
    } else {
      safely(
          () -> callBack.onReplyError(correlationId, error.serverSubscription(), error, future),
          "onReplyError");
    }
  }

  private static boolean overridesOnReplyError(RequestCallBack<?> callBack, Class<?> errorType) {
    try {
      return callBack
              .getClass()
              .getMethod(
                  "onReplyError", String.class, String.class, errorType, CompletableFuture.class)
              .getDeclaringClass()
          != RequestCallBack.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("RequestCallBack lacks onReplyError", e);
    }
  }

  private void acknowledge(IncomingMessage<V> message, String correlationId) {
    message
        .acknowledge()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                safely(
                    () ->
                        callBack.onReplyMessageAckFailed(
                            correlationId,
                            message.pulsarConsumer(),
                            message.asPulsarMessage(),
                            Failures.unwrapped(failure)),
                    "onReplyMessageAckFailed");
              }
            });
  }

  private void safely(Runnable callBackInvocation, String event) {
    try {
      callBackInvocation.run();
    } catch (RuntimeException e) {
      log.warn("RequestCallBack.{} of client {} threw; ignored", event, replySubscription, e);
    }
  }

  private ClientClosedException closedException(String correlationId) {
    return new ClientClosedException(
        "PulsarRpcClient is closed: request " + correlationId + " was not sent");
  }

  private V awaitReply(CompletableFuture<V> future, String correlationId)
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
          "Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String checkedId(String correlationId) {
    if (correlationId == null || correlationId.isBlank()) {
      throw new IllegalArgumentException("correlationId must not be blank");
    }
    return correlationId;
  }

  private static String correlationIdOf(RequestOptions options) {
    return options.correlationId().orElseGet(() -> UUID.randomUUID().toString());
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

  @SuppressWarnings("unchecked")
  private static <V> RequestCallBack<V> defaultCallBack() {
    return (RequestCallBack<V>) DEFAULT_CALLBACK;
  }
}
