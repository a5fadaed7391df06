package io.pulsarrpc.bus.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A topic and its subscriptions, which live as long as the bus. Guarded by the broker lock. */
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

  MemorySubscription subscriptionLocked(String subscription) {
    return subscriptions.computeIfAbsent(
        subscription, ignored -> new MemorySubscription(name, subscription));
  }

  /** A snapshot: the subscriptions a message published now goes to. */
  List<MemorySubscription> subscriptionsLocked() {
    return List.copyOf(subscriptions.values());
  }
}
