package io.pulsarrpc.server;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.InitialPosition;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.SubscriptionMode;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.ReceiveLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call topics a server registered at runtime: for each, a consumer of the topic's bus topic
 * ({@link CallTopics#requestTopic}) under the server's own subscription, shared like the request
 * topic, and a receive loop that hands its requests to the server like those of the request topic.
 *
 * <p>Invariants: at most one registration per topic; {@link #topics()} lists the topics whose
 * consumer is subscribed; deregistering stops taking the topic's requests at once, lets those in
 * flight settle (within the grace period), then closes the consumer, so that what it had not
 * settled goes back to the subscription for another server. After {@link #stopAll()}, nothing
 * registers any more.
 *
 * <p>Threads: register and deregister run on any thread and return futures; the consumers' requests
 * arrive on the bus's delivery threads. Thread-safe.
 */
final class TopicSubscriptions<T> {

  private static final Logger log = LoggerFactory.getLogger(TopicSubscriptions.class);

  private final MessageBus bus;
  private final String requestTopic;
  private final String subscription;
  private final Schema<T> schema;
  private final int receiverQueueSize;
  private final int limit;
  private final Duration gracePeriod;
  private final ReceiveLoop.Handler<T> onRequest;
  private final Map<String, CompletableFuture<Registration<T>>> registrations =
      new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /** One registered topic: its consumer, its loop and its requests not yet settled. */
  private static final class Registration<T> {
    final BusConsumer<T> consumer;
    final AtomicInteger inFlight = new AtomicInteger();
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    volatile ReceiveLoop<T> loop;
    volatile boolean stopping;

    Registration(BusConsumer<T> consumer) {
      this.consumer = consumer;
    }

    void settledOne() {
      if (inFlight.decrementAndGet() == 0 && stopping) {
        drained.complete(null);
      }
    }

    void stop() {
      stopping = true;
      loop.stop();
      if (inFlight.get() == 0) {
        drained.complete(null);
      }
    }
  }

  /**
   * @param requestTopic the server's request topic, whose call topics these are
   * @param limit the most requests of one topic taken and not settled at once
   * @param onRequest where each request goes, with the permit to release once it is settled
   */
  TopicSubscriptions(
      MessageBus bus,
      String requestTopic,
      String subscription,
      Schema<T> schema,
      int receiverQueueSize,
      int limit,
      Duration gracePeriod,
      ReceiveLoop.Handler<T> onRequest) {
    this.bus = bus;
    this.requestTopic = requestTopic;
    this.subscription = subscription;
    this.schema = schema;
    this.receiverQueueSize = receiverQueueSize;
    this.limit = limit;
    this.gracePeriod = gracePeriod;
    this.onRequest = onRequest;
  }

  /**
   * Starts taking the calls of {@code topic}; completes once subscribed. Registering a topic twice
   * completes with the first registration.
   *
   * @throws IllegalArgumentException when the topic's name is not acceptable
   */
  CompletableFuture<Void> register(String topic) {
    CallTopics.checkedTopic(topic);
    if (stopped) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "server " + subscription + " is closed: topic " + topic + " was not registered"));
    }
    CompletableFuture<Registration<T>> registration =
        registrations.computeIfAbsent(topic, this::subscribe);
    registration.whenComplete(
        (registered, failure) -> {
          if (failure != null) {
            registrations.remove(topic, registration);
          }
        });
    return registration.thenApply(registered -> null);
  }

  /**
   * Stops taking the calls of {@code topic}; completes once its requests in flight settled (or the
   * grace period ended) and its consumer closed. Deregistering a topic not registered completes at
   * once.
   */
  CompletableFuture<Void> deregister(String topic) {
    CompletableFuture<Registration<T>> registration = registrations.remove(topic);
    if (registration == null) {
      return CompletableFuture.completedFuture(null);
    }
    return registration.handle((registered, failure) -> registered).thenCompose(this::close);
  }

  /** The topics whose consumer is subscribed, sorted. */
  Set<String> topics() {
    Set<String> topics = new TreeSet<>();
    registrations.forEach(
        (topic, registration) -> {
          if (registration.isDone() && !registration.isCompletedExceptionally()) {
            topics.add(topic);
          }
        });
    return topics;
  }

  /**
   * Whether the consumer of every subscribed topic is connected ({@link
   * BusConsumer#isConnected()}); a topic still subscribing, or whose subscription failed, is not
   * counted. Lock-free.
   */
  boolean allConnected() {
    for (CompletableFuture<Registration<T>> registration : registrations.values()) {
      if (registration.isDone()
          && !registration.isCompletedExceptionally()
          && !registration.join().consumer.isConnected()) {
        return false;
      }
    }
    return true;
  }

  /** Stops taking requests on every topic; the server's drain then covers their requests. */
  void stopAll() {
    stopped = true;
    registrations.values().forEach(registration -> registration.thenAccept(Registration::stop));
  }

  /** Closes every topic's consumer at once (what it did not settle goes to another server). */
  CompletableFuture<Void> closeAll() {
    stopAll();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    registrations.forEach(
        (topic, registration) ->
            closing.add(
                registration
                    .handle((registered, failure) -> registered)
                    .thenCompose(
                        registered ->
                            registered == null
                                ? CompletableFuture.<Void>completedFuture(null)
                                : quietly(registered.consumer.closeAsync(), topic))));
    registrations.clear();
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Registration<T>> subscribe(String topic) {
    SubscriptionSpec<T> spec =
        new SubscriptionSpec<>(
            CallTopics.requestTopic(requestTopic, topic),
            null,
            subscription,
            SubscriptionMode.SHARED,
            InitialPosition.LATEST,
            schema,
            SubscriptionSpec.DEFAULT_PATTERN_AUTO_DISCOVERY_INTERVAL,
            receiverQueueSize);
    return bus.subscribe(spec)
        .thenApply(
            consumer -> {
              Registration<T> registration = new Registration<>(consumer);
              registration.loop =
                  new ReceiveLoop<>(
                      consumer,
                      (message, release) -> {
                        registration.inFlight.incrementAndGet();
                        onRequest.handle(
                            message,
                            () -> {
                              release.run();
                              registration.settledOne();
                            });
                      },
                      limit,
                      "requests of topic " + topic + " of server " + subscription);
              if (stopped) {
                consumer.closeAsync();
                throw new IllegalStateException(
                    "server " + subscription + " closed while topic " + topic + " registered");
              }
              registration.loop.start();
              return registration;
            });
  }

  private CompletableFuture<Void> close(Registration<T> registration) {
    if (registration == null) {
      return CompletableFuture.completedFuture(null);
    }
    registration.stop();
    return registration
        .drained
        .completeOnTimeout(null, gracePeriod.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(ignored -> quietly(registration.consumer.closeAsync(), subscription));
  }

  private static CompletableFuture<Void> quietly(CompletableFuture<Void> closing, String what) {
    return closing.handle(
        (ignored, failure) -> {
          if (failure != null) {
            log.warn("Closing the topic consumer of {} failed", what, failure);
          }
          return null;
        });
  }
}
