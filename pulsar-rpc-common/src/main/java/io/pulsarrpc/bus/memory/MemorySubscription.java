package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.SubscriptionMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * One named subscription on one topic: a backlog of messages not yet handed to a consumer, and the
 * consumers that take from it. Durable: it keeps collecting messages while it has no consumer.
 * Guarded by the broker lock.
 *
 * <p>Invariant, restored by {@link #dispatchLocked} after every change: the backlog is empty or no
 * consumer of the subscription has a receive waiting.
 */
final class MemorySubscription {

  private final String topic;
  private final String name;
  private final Deque<QueuedMessage> backlog = new ArrayDeque<>();
  private final List<MemoryConsumer<?>> consumers = new ArrayList<>();
  private SubscriptionMode mode;
  private int nextConsumer;

  MemorySubscription(String topic, String name) {
    this.topic = topic;
    this.name = name;
  }

  String topic() {
    return topic;
  }

  String name() {
    return name;
  }

  /**
   * Why a consumer in {@code requested} mode may not join, or null when it may. The first consumer
   * of an idle subscription sets its mode, as on Pulsar.
   */
  String refusalLocked(SubscriptionMode requested) {
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

  boolean hasBacklogLocked() {
    return !backlog.isEmpty();
  }

  /** Appends a newly published (or newly due) message and hands it out if someone waits. */
  void enqueueLocked(QueuedMessage message, DeferredCompletions completions) {
    backlog.addLast(message);
    dispatchLocked(completions);
  }

  /**
   * Puts messages back at the head of the backlog, oldest first, so that redeliveries come before
   * newer messages as on Pulsar, and hands them out if someone waits.
   */
  void requeueFirstLocked(List<QueuedMessage> messages, DeferredCompletions completions) {
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
