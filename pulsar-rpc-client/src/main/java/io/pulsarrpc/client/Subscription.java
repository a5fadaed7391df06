package io.pulsarrpc.client;

import java.util.concurrent.CompletableFuture;

/**
 * One subscription of a {@link PulsarRpcSubscriber}: a listener receiving the updates of one update
 * topic (and topic), as a broadcast subscriber or a member of a queue.
 *
 * <p>An update is acknowledged to the bus once the listener returned (or threw), or when it is
 * dropped by {@link UpdateOverflow#DROP_OLDEST}. Closing stops taking updates: the listener
 * finishes the update it has, which is then acknowledged, and gets no other; updates buffered and
 * not yet handed to it are not acknowledged, so on a queue subscription of a durable bus the bus
 * gives them to another subscriber of the queue (nothing that was not handed over is lost), and on
 * a broadcast subscription they go with it. What was handed over does not come again, with one
 * exception: Pulsar acknowledges a batch of messages as a whole (unless broker and consumer
 * acknowledge batch indexes), so the handed updates of a batch the subscriber had only partly
 * handed come again to another subscriber; build the publisher with {@code
 * producerConfig(Map.of("batchingEnabled", false))} where that matters.
 *
 * <p>Thread-safe.
 */
public interface Subscription extends AutoCloseable {

  /** The subscription's topic, or null when it was made without one. */
  String topic();

  /** The queue group, or null for a broadcast subscription. */
  String queue();

  /** How many updates {@link UpdateOverflow#DROP_OLDEST} dropped so far. */
  long droppedUpdates();

  /**
   * How many updates the listener threw on, or that could not be read (a value that does not decode
   * with the subscriber's schema, a message of another kind on the update topic); each was logged
   * and acknowledged.
   */
  long listenerFailures();

  /** Whether the subscription still takes updates: false once closing started. */
  boolean isOpen();

  /**
   * Closes the subscription. The future completes once the listener returned from the update it has
   * (so a listener that never returns keeps it from completing), that update was acknowledged, and
   * the bus's consumer is closed. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /**
   * Blocking {@link #closeAsync()}. Called from the subscription's own listener, it does not wait:
   * the subscription closes when the listener returns.
   */
  @Override
  void close();
}
