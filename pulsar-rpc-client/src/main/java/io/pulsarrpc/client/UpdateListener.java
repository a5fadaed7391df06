package io.pulsarrpc.client;

/**
 * Receives the updates of one {@link Subscription}.
 *
 * <p>Called on the subscriber's listener threads, never on a thread of the bus: one update at a
 * time per subscription, in the order the subscription received them (for one publisher and topic,
 * the publish order). It may block; while it does, the updates of its subscription wait in the
 * subscription's buffer (see {@link UpdateOverflow}), and other subscriptions go on. An exception
 * it throws is logged and counted ({@link Subscription#listenerFailures()}); the update is
 * acknowledged all the same and delivery goes on with the next.
 *
 * @param <U> the type of update values
 */
@FunctionalInterface
public interface UpdateListener<U> {

  /** Handles one update. */
  void onUpdate(U update);
}
