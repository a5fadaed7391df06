package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.support.SharedTimer;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.RequestHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a client's messages to servers: a call's request (its key and value, the properties
 * written by {@link RequestHeaders}, its message settings) to the bus topic of its kind and topic
 * ({@link CallTopics}), and an affinity call's selection.
 *
 * <p>The request topic's producer lives as long as the client. A producer for another bus topic (a
 * call topic, an affinity topic) is created on its first call, without blocking the caller, and
 * closed after an idle timeout ({@link #DEFAULT_IDLE_TIMEOUT} for clients) without a call, so that
 * a client calling many topics keeps producers only for those in use. Thread-safe; called on
 * callers' threads and, for selections, on the reply router's.
 */
final class RequestPublisher<T> {

  private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final MessageBus bus;
  private final BusProducer<T> producer;
  private final ProducerSpec<T> spec;
  private final String replyTopic;
  private final String replySubscription;
  private final Map<String, TopicProducer<T>> others = new ConcurrentHashMap<>();
  private final Duration idleTimeout;
  private final ScheduledFuture<?> sweeper;

  /** A producer of another bus topic and when it was last used (nanoTime). */
  private record TopicProducer<T>(CompletableFuture<BusProducer<T>> producer, long[] lastUsed) {}

  RequestPublisher(
      MessageBus bus,
      BusProducer<T> producer,
      ProducerSpec<T> spec,
      String replyTopic,
      String replySubscription,
      Duration idleTimeout) {
    this.bus = bus;
    this.producer = producer;
    this.spec = spec;
    this.replyTopic = replyTopic;
    this.replySubscription = replySubscription;
    this.idleTimeout = idleTimeout;
    long sweepNanos = idleTimeout.toNanos() / 2;
    this.sweeper =
        SharedTimer.scheduleAtFixedRate(
            this::closeIdle, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Publishes the request of a single call without topic or claim.
   *
   * @throws IllegalArgumentException when the bus refuses the call's message settings
   */
  CompletableFuture<MessageId> publish(ClientCall<T> call) {
    return publish(call, CallKind.SINGLE);
  }

  /**
   * Publishes the request of {@code call} as a call of {@code kind}, to the bus topic of its kind
   * and topic.
   *
   * @throws IllegalArgumentException when the bus refuses the call's message settings
   */
  CompletableFuture<MessageId> publish(ClientCall<T> call, CallKind kind) {
    long deliverAt = call.deliverAtMillis();
    String topic = call.topic().orElse(null);
    OutgoingMessage<T> request =
        new OutgoingMessage<>(
            call.correlationId(),
            call.value(),
            RequestHeaders.write(
                replyTopic,
                replySubscription,
                call.timeout().toMillis(),
                deliverAt,
                call.metadata(),
                kind,
                call.claimRequired(),
                topic),
            deliverAt,
            call.messageConfig());
    if (kind == CallKind.AFFINITY) {
      return sendTo(CallTopics.affinityTopic(spec.topic(), topic), request);
    }
    if (topic != null) {
      return sendTo(CallTopics.requestTopic(spec.topic(), topic), request);
    }
    return producer.send(request);
  }

  /** Tells the servers of an affinity call which one runs it. */
  CompletableFuture<MessageId> select(ClientCall<T> call, String server) {
    return sendTo(
        CallTopics.affinityTopic(spec.topic(), call.topic().orElse(null)),
        OutgoingMessage.of(call.correlationId(), null, RequestHeaders.writeSelect(server)));
  }

  CompletableFuture<Void> closeAsync() {
    sweeper.cancel(false);
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    closing.add(producer.closeAsync());
    others.forEach((topic, entry) -> closing.add(close(topic, entry)));
    others.clear();
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<MessageId> sendTo(String busTopic, OutgoingMessage<T> message) {
    TopicProducer<T> entry =
        others.computeIfAbsent(
            busTopic,
            topic ->
                new TopicProducer<>(
                    bus.createProducer(new ProducerSpec<>(topic, spec.schema(), spec.config())),
                    new long[1]));
    entry.lastUsed()[0] = System.nanoTime();
    return entry.producer().thenCompose(topicProducer -> topicProducer.send(message));
  }

  private void closeIdle() {
    long idleSince = System.nanoTime() - idleTimeout.toNanos();
    others.forEach(
        (topic, entry) -> {
          if (entry.lastUsed()[0] - idleSince < 0 && others.remove(topic, entry)) {
            close(topic, entry);
          }
        });
  }

  private static <T> CompletableFuture<Void> close(String topic, TopicProducer<T> entry) {
    return entry
        .producer()
        .thenCompose(BusProducer::closeAsync)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.debug("Closing the request producer of {} failed", topic, failure);
              }
              return null;
            });
  }

  /** How many producers of other bus topics are open or opening; for tests. */
  int topicProducerCount() {
    return others.size();
  }
}
