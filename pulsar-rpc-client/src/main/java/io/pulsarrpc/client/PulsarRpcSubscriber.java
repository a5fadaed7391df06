package io.pulsarrpc.client;

import io.pulsarrpc.common.RpcException;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * Subscribes listeners to the updates a {@code PulsarRpcPublisher} publishes to an update topic.
 * Each {@link #subscribeAsync subscription} is a broadcast one (it receives every update published
 * while it is open) or, with {@link SubscribeOptions#withQueue}, a member of a queue (the members
 * share the updates, each update going to one of them); either with or without a topic.
 *
 * <p>On the bus, a broadcast subscription is a temporary subscription of its own, removed when it
 * closes; a queue subscription is a durable shared subscription named after the group, which
 * outlives its members. Each subscription buffers at most {@link
 * SubscribeOptions#withMaxBufferedUpdates(int) maxBufferedUpdates} updates for its listener, and
 * when that is full applies its {@link UpdateOverflow} policy, so a slow listener holds back only
 * its own subscription.
 *
 * <p>Thread-safe. Listeners run on the subscriber's own daemon threads ({@code
 * pulsar-rpc-subscriber-<n>-listener-<m>}, at most one per subscription at a time), never on the
 * bus's. Invalid arguments throw {@link IllegalArgumentException} at once; a subscription the bus
 * refuses fails the future with an {@link RpcException} of code {@link
 * io.pulsarrpc.common.ErrorCode#UNAVAILABLE} (the bus's exception as cause); one made after close
 * with {@link io.pulsarrpc.common.ErrorCode#CANCELED}.
 *
 * @param <U> the type of update values
 */
public interface PulsarRpcSubscriber<U> extends AutoCloseable {

  /** A builder for a subscriber that decodes updates with {@code updateSchema}. */
  static <U> PulsarRpcSubscriberBuilder<U> builder(Schema<U> updateSchema) {
    return new PulsarRpcSubscriberBuilder<>(updateSchema);
  }

  /** The update topic. */
  String updateTopic();

  /**
   * A broadcast subscription without topic, with the default options. The future completes once the
   * subscription exists on the bus: every update published after that reaches the listener.
   */
  CompletableFuture<Subscription> subscribeAsync(UpdateListener<U> listener);

  /**
   * A subscription with these options. The future completes once the subscription exists on the
   * bus: every update published after that reaches it.
   *
   * @throws IllegalArgumentException when {@code listener} or {@code options} is null, or {@link
   *     UpdateOverflow#DROP_OLDEST} is asked for a queue subscription
   */
  CompletableFuture<Subscription> subscribeAsync(
      UpdateListener<U> listener, SubscribeOptions options);

  /**
   * Blocking {@link #subscribeAsync(UpdateListener)}.
   *
   * @throws RpcException when the bus refuses the subscription
   */
  Subscription subscribe(UpdateListener<U> listener);

  /**
   * Blocking {@link #subscribeAsync(UpdateListener, SubscribeOptions)}.
   *
   * @throws RpcException when the bus refuses the subscription
   */
  Subscription subscribe(UpdateListener<U> listener, SubscribeOptions options);

  /**
   * Closes every subscription this subscriber made (see {@link Subscription#closeAsync()}), then
   * its listener threads. Later subscriptions fail. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /**
   * Blocking {@link #closeAsync()}. Do not call it from a listener, which it would wait for; call
   * {@link #closeAsync()} there.
   */
  @Override
  void close();
}
