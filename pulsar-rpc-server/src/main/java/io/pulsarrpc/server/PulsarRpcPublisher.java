package io.pulsarrpc.server;

import io.pulsarrpc.common.RpcException;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Publishes typed updates to an update topic, for {@code PulsarRpcSubscriber}s to receive: with a
 * broadcast subscription every subscriber gets every update, with a queue subscription one
 * subscriber of the queue gets each. An update may have a topic (a region, a tenant, a job): it
 * then goes to {@code <updateTopic>.topic.<topic>} and reaches only the subscriptions of that
 * topic.
 *
 * <p>What the publisher guarantees:
 *
 * <ul>
 *   <li>Updates of one publisher to one topic, published from one thread, are received in publish
 *       order by every subscription that receives them.
 *   <li>A future completes once the bus stored the update (or, on core NATS, handed it to the
 *       subscribers listening). An update published while no subscription of its topic exists
 *       reaches nobody, and its future still completes normally: publishing does not depend on who
 *       listens. On a durable bus a queue subscription that exists keeps updates while its
 *       subscribers are away.
 *   <li>The update topic's producer lives as long as the publisher; a producer for a topic's bus
 *       topic is created on the first update to it, without blocking the caller, and closed after
 *       five minutes without an update.
 * </ul>
 *
 * <p>Thread-safe: share one publisher among threads. Futures complete on the bus's threads; do not
 * block in their dependent stages. Invalid arguments throw {@link IllegalArgumentException} at
 * once; a failed publish fails the future with an {@link RpcException} of code {@link
 * io.pulsarrpc.common.ErrorCode#UNAVAILABLE} (the bus's exception as cause), a publish after close
 * with {@link io.pulsarrpc.common.ErrorCode#CANCELED}.
 *
 * @param <U> the type of update values
 */
public interface PulsarRpcPublisher<U> extends AutoCloseable {

  /** A builder for a publisher that encodes updates with {@code updateSchema}. */
  static <U> PulsarRpcPublisherBuilder<U> builder(Schema<U> updateSchema) {
    return new PulsarRpcPublisherBuilder<>(updateSchema);
  }

  /** The update topic. */
  String updateTopic();

  /**
   * Publishes an update without topic: it reaches the subscriptions made without {@code
   * SubscribeOptions.withTopic}.
   *
   * @throws IllegalArgumentException when {@code update} is null
   */
  CompletableFuture<Void> publishAsync(U update);

  /**
   * Publishes an update with a topic: it reaches only the subscriptions made with {@code
   * SubscribeOptions.withTopic(topic)}.
   *
   * @param topic 1 to 64 letters, digits, {@code _} or {@code -}
   * @throws IllegalArgumentException when the topic is not acceptable or {@code update} null
   */
  CompletableFuture<Void> publishAsync(String topic, U update);

  /**
   * Blocking {@link #publishAsync(Object)}.
   *
   * @throws RpcException when the publish fails
   */
  void publish(U update);

  /**
   * Blocking {@link #publishAsync(String, Object)}.
   *
   * @throws RpcException when the publish fails
   */
  void publish(String topic, U update);

  /**
   * Closes the publisher's producers (each sends what it was given first); later publishes fail.
   * Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /** Blocking {@link #closeAsync()}. */
  @Override
  void close();
}
