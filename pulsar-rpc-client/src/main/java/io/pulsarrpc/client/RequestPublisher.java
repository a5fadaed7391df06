package io.pulsarrpc.client;

import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.MessageBus;
import io.pulsarrpc.bus.OutgoingMessage;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.common.internal.CallKind;
import io.pulsarrpc.common.internal.CallTopics;
import io.pulsarrpc.common.internal.RequestHeaders;
import io.pulsarrpc.common.internal.TopicProducers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.MessageId;

/**
 * Publishes a client's messages to servers: a call's request (its key and value, the properties
 * written by {@link RequestHeaders} with the client's API version, its message settings) to the bus
 * topic of its kind and topic ({@link CallTopics}), and an affinity call's selection.
 *
 * <p>The request topic's producer lives as long as the client. The producers of other bus topics (a
 * call topic, an affinity topic) are {@link TopicProducers}: created on their first call without
 * blocking the caller, and closed after an idle timeout ({@link #DEFAULT_IDLE_TIMEOUT} for clients)
 * without a call, so that a client calling many topics keeps producers only for those in use.
 * Thread-safe; called on callers' threads and, for selections, on the reply router's.
 */
final class RequestPublisher<T> {

  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final BusProducer<T> producer;
  private final ProducerSpec<T> spec;
  private final String replyTopic;
  private final String replySubscription;
  private final int apiVersion;
  private final TopicProducers<T> others;

  RequestPublisher(
      MessageBus bus,
      BusProducer<T> producer,
      ProducerSpec<T> spec,
      String replyTopic,
      String replySubscription,
      int apiVersion,
      Duration idleTimeout) {
    this.producer = producer;
    this.spec = spec;
    this.replyTopic = replyTopic;
    this.replySubscription = replySubscription;
    this.apiVersion = apiVersion;
    this.others = new TopicProducers<>(bus, spec.schema(), spec.config(), idleTimeout);
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
                topic,
                apiVersion),
            deliverAt,
            call.messageConfig());
    if (kind == CallKind.AFFINITY) {
      return others.send(CallTopics.affinityTopic(spec.topic(), topic), request);
    }
    if (topic != null) {
      return others.send(CallTopics.requestTopic(spec.topic(), topic), request);
    }
    return producer.send(request);
  }

  /** Tells the servers of an affinity call which one runs it. */
  CompletableFuture<MessageId> select(ClientCall<T> call, String server) {
    return others.send(
        CallTopics.affinityTopic(spec.topic(), call.topic().orElse(null)),
        OutgoingMessage.of(call.correlationId(), null, RequestHeaders.writeSelect(server)));
  }

  /** Whether the request topic's producer is connected; see {@link BusProducer#isConnected()}. */
  boolean isConnected() {
    return producer.isConnected();
  }

  CompletableFuture<Void> closeAsync() {
    return CompletableFuture.allOf(producer.closeAsync(), others.closeAsync());
  }

  /** How many producers of other bus topics are open or opening; for tests. */
  int topicProducerCount() {
    return others.size();
  }
}
