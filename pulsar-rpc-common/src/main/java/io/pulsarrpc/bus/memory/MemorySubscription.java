package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.SubscriptionMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * One named subscription on one topic: a backlog of messages not yet handed to a consumer, and the
 * consumers that take from it. A durable one keeps collecting messages while it has no consumer; a
 * temporary one is removed from its topic when its consumer closes, and from then on drops what
 * still reaches it (a delayed or negatively acknowledged message coming due). Guarded by the broker
 * lock.
 *
 * <p>Invariant, restored by {@link #dispatchLocked} after every change: the backlog is empty or no
 * consumer of the subscription has a receive waiting.
 */
final class MemorySubscription {

  private final String topic;
  private final String name;
  private final boolean temporary;
  private final Deque<QueuedMessage> backlog = new ArrayDeque<>();
  private final List<MemoryConsumer<?>> consumers = new ArrayList<>();
  private SubscriptionMode mode;
  private int nextConsumer;
  private boolean removed;

  MemorySubscription(String topic, String name, boolean temporary) {
    this.topic = topic;
    this.name = name;
    this.temporary = temporary;
  }

  String topic() {
    return topic;
  }

  String name() {
    return name;
  }

  /**
   * Why a consumer in {@code requested} mode and lifetime may not join, or null when it may. The
   * first consumer of an idle subscription sets its mode, as on Pulsar. A temporary subscription
   * cannot take the name of a durable one, as on Pulsar.
   */
  String refusalLocked(SubscriptionMode requested, boolean requestedTemporary) {
    if (requestedTemporary && !temporary) {
      return "subscription '"
          + name
          + "' on topic '"
          + topic
          + "' is durable; a temporary subscription cannot take its name";
    }
    if (consumers.isEmpty()) {
      return null;
    }
    if (mode == SubscriptionMode.EXCLUSIVE) {
      return "subscription '"
          + name
          + "' on topic '"
          + topic
          + "' is EXCLUSIVE and already has a consumer";
    }
    if (requested != mode) {
      return "subscription '"
          + name
          + "' on topic '"
          + topic
          + "' is "
          + mode
          + " with "
          + consumers.size()
          + " consumer(s); a "
          + requested
          + " consumer cannot join it";
    }
    return null;
  }

  /** Adds a consumer that {@link #refusalLocked} accepted. */
  void addConsumerLocked(MemoryConsumer<?> consumer, SubscriptionMode requested) {
    if (consumers.isEmpty()) {
      mode = requested;
    }
    consumers.add(consumer);
  }

  void removeConsumerLocked(MemoryConsumer<?> consumer) {
    consumers.remove(consumer);
  }

  boolean isTemporary() {
    return temporary;
  }

  /** The subscription left its topic: it drops its backlog and whatever still comes to it. */
  void removedLocked() {
    removed = true;
    backlog.clear();
  }

  boolean hasBacklogLocked() {
    return !backlog.isEmpty();
  }

  /** Appends a newly published (or newly due) message and hands it out if someone waits. */
  void enqueueLocked(QueuedMessage message, DeferredCompletions completions) {
    if (removed) {
      return;
    }
    backlog.addLast(message);
    dispatchLocked(completions);
  }

  /**
   * Puts messages back at the head of the backlog, oldest first, so that redeliveries come before
   * newer messages as on Pulsar, and hands them out if someone waits.
   */
  void requeueFirstLocked(List<QueuedMessage> messages, DeferredCompletions completions) {
    if (removed) {
      return;
    }
    List<QueuedMessage> byAge = new ArrayList<>(messages);
    byAge.sort(Comparator.comparingLong(queued -> queued.message().sequence()));
    for (int i = byAge.size() - 1; i >= 0; i--) {
      backlog.addFirst(byAge.get(i));
    }
    dispatchLocked(completions);
  }

  /** Hands backlog messages to waiting consumers, taking turns among them. */
  void dispatchLocked(DeferredCompletions completions) {
    while (!backlog.isEmpty()) {
      MemoryConsumer<?> consumer = nextWaitingConsumerLocked();
      if (consumer == null) {
        return;
      }
      consumer.deliverLocked(backlog.pollFirst(), this, completions);
    }
  }

  private MemoryConsumer<?> nextWaitingConsumerLocked() {
    int count = consumers.size();
    for (int i = 0; i < count; i++) {
      int index = (nextConsumer + i) % count;
      MemoryConsumer<?> consumer = consumers.get(index);
      if (consumer.hasWaitingReceiveLocked()) {
        nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return null;
  }
}
