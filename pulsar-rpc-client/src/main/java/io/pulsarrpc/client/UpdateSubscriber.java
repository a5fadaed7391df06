package io.pulsarrpc.client;

import io.pulsarrpc.bus.BlockingCalls;
import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionLifetime;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.common.ErrorCode;
import io.pulsarrpc.common.RpcException;
import io.pulsarrpc.common.internal.CallTopics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PulsarRpcSubscriber}: turns each {@code subscribeAsync} into a bus subscription (a
 * temporary one for a broadcast, the group's durable shared one for a queue) and an {@link
 * UpdateSubscription} that delivers its updates, and keeps the open subscriptions to close them
 * with itself.
 *
 * <p>Listeners run on one cached pool of daemon threads per subscriber: a subscription holds a
 * thread only while it has updates to deliver, so a blocked listener takes one thread and the other
 * subscriptions take others. Thread-safe.
 */
final class UpdateSubscriber<U> implements PulsarRpcSubscriber<U> {

  private static final Logger log = LoggerFactory.getLogger(UpdateSubscriber.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final MessageBus bus;
  private final boolean ownsBus;
  private final Schema<U> schema;
  private final String updateTopic;
  private final ExecutorService listenerThreads;
  private final Set<UpdateSubscription<U>> open = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile boolean closed;

  UpdateSubscriber(PulsarRpcSubscriberBuilder<U> settings, MessageBus bus, boolean ownsBus) {
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.schema = settings.updateSchema;
    this.updateTopic = settings.updateTopic;
    this.listenerThreads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new DaemonThreadFactory(
                "pulsar-rpc-subscriber-" + INSTANCES.incrementAndGet() + "-listener"));
  }

  @Override
  public String updateTopic() {
    return updateTopic;
  }

  @Override
  public CompletableFuture<Subscription> subscribeAsync(UpdateListener<U> listener) {
    return subscribeAsync(listener, SubscribeOptions.defaults());
  }

  @Override
  public CompletableFuture<Subscription> subscribeAsync(
      UpdateListener<U> listener, SubscribeOptions options) {
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    if (options.queue() != null && options.overflow() == UpdateOverflow.DROP_OLDEST) {
      throw new IllegalArgumentException(
          "DROP_OLDEST is refused on queue subscription '"
              + options.queue()
              + "': the other subscribers of the queue could take the updates it would drop; use"
              + " BACK_PRESSURE");
    }
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    String busTopic = CallTopics.updateTopic(updateTopic, options.topic());
    SubscriptionSpec<U> spec = spec(busTopic, options);
    CompletableFuture<BusConsumer<U>> subscribing;
    try {
      subscribing = bus.subscribe(spec);
    } catch (RuntimeException e) {
      subscribing = CompletableFuture.failedFuture(e);
    }
    String description =
        "updates of "
            + busTopic
            + (options.queue() == null ? " (broadcast)" : " (queue " + options.queue() + ")");
    return subscribing
        .<Subscription>thenApply(
            consumer -> {
              UpdateSubscription<U> subscription =
                  new UpdateSubscription<>(
                      consumer, listener, options, listenerThreads, description, open::remove);
              open.add(subscription);
              if (closed) {
                subscription.closeAsync();
                throw closedException();
              }
              subscription.start();
              return subscription;
            })
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof RpcException rpc) {
                throw rpc;
              }
              throw new RpcException(
                  ErrorCode.UNAVAILABLE,
                  "subscribing to " + description + " failed: " + cause.getMessage(),
                  Map.of(),
                  cause);
            });
  }

  /**
   * A broadcast subscription is a temporary one of its own; a queue's is the group's durable shared
   * one. The bus prefetches at most as many updates as the subscription buffers.
   */
  private SubscriptionSpec<U> spec(String busTopic, SubscribeOptions options) {
    int prefetch =
        Math.min(options.maxBufferedUpdates(), SubscriptionSpec.DEFAULT_RECEIVER_QUEUE_SIZE);
    boolean queue = options.queue() != null;
    return new SubscriptionSpec<>(
        busTopic,
        null,
        queue ? options.queue() : SubscriptionSpec.TEMPORARY_NAME_PREFIX + UUID.randomUUID(),
        queue ? SubscriptionMode.SHARED : SubscriptionMode.EXCLUSIVE,
        InitialPosition.LATEST,
        schema,
        SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
        prefetch,
        queue ? SubscriptionLifetime.DURABLE : SubscriptionLifetime.TEMPORARY);
  }

  @Override
  public Subscription subscribe(UpdateListener<U> listener) {
    return BlockingCalls.await(subscribeAsync(listener));
  }

  @Override
  public Subscription subscribe(UpdateListener<U> listener, SubscribeOptions options) {
    return BlockingCalls.await(subscribeAsync(listener, options));
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    synchronized (this) {
      if (closed) {
        return closeFuture;
      }
      closed = true;
    }
    List<CompletableFuture<Void>> closing =
        open.stream().map(UpdateSubscription::closeAsync).toList();
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.warn("Closing a subscription to {} failed", updateTopic, failure);
              }
              listenerThreads.shutdown();
              return null;
            })
        .thenCompose(
            ignored -> ownsBus ? bus.closeAsync() : CompletableFuture.completedFuture(null))
        .whenComplete((ignored, failure) -> closeFuture.complete(null));
    return closeFuture;
  }

  @Override
  public void close() {
    BlockingCalls.await(closeAsync());
  }

  private RpcException closedException() {
    return new RpcException(
        ErrorCode.CANCELED, "PulsarRpcSubscriber of " + updateTopic + " is closed");
  }

  /** How many subscriptions are open; for tests. */
  int openSubscriptions() {
    return open.size();
  }
}
