package io.pulsarrpc.client;

/**
 * What a {@link Subscription} does when its buffer is full: when it holds {@link
 * SubscribeOptions#withMaxBufferedUpdates(int) maxBufferedUpdates} updates taken from the bus and
 * not yet handed to the listener, because the listener is slower than the publisher.
 */
public enum UpdateOverflow {

  /**
   * Stop taking updates from the bus until the listener has taken one from the buffer. The updates
   * wait in the bus: on a queue subscription the other subscribers of the queue take them, on a
   * broadcast subscription they wait for this subscriber (the bus keeps them as long as the
   * subscription exists; on Pulsar, Redis and NATS JetStream that uses the bus's storage). Nothing
   * is lost. The default.
   */
  BACK_PRESSURE,

  /**
   * Keep taking updates from the bus; when the buffer is full, drop the oldest buffered update (it
   * is acknowledged, never handed to the listener, and counted by {@link
   * Subscription#droppedUpdates()}). For broadcast subscribers that want the latest state rather
   * than every step; refused on a queue subscription, whose other subscribers could have taken the
   * update.
   */
  DROP_OLDEST
}
