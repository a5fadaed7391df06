package io.pulsarrpc.bus.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic and its subscriptions; durable ones live as long as the bus, temporary ones as long as
 * their consumer. Guarded by the broker lock.
 */
final class MemoryTopic {

  private final String name;
  private final Map<String, MemorySubscription> subscriptions = new LinkedHashMap<>();

  MemoryTopic(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** The subscription of that name, or null when nobody ever subscribed with it. */
  MemorySubscription findSubscriptionLocked(String subscription) {
    return subscriptions.get(subscription);
  }

  /** The subscription of that name, created with the given lifetime when there is none. */
  MemorySubscription subscriptionLocked(String subscription, boolean temporary) {
    return subscriptions.computeIfAbsent(
        subscription, ignored -> new MemorySubscription(name, subscription, temporary));
  }

  /** Removes a temporary subscription whose consumer closed. */
  void removeSubscriptionLocked(MemorySubscription subscription) {
    subscriptions.remove(subscription.name(), subscription);
    subscription.removedLocked();
  }

  /** The names of the subscriptions the topic has now. */
  List<String> subscriptionNamesLocked() {
    return List.copyOf(subscriptions.keySet());
  }

  /** A snapshot: the subscriptions a message published now goes to. */
  List<MemorySubscription> subscriptionsLocked() {
    return List.copyOf(subscriptions.values());
  }
}
