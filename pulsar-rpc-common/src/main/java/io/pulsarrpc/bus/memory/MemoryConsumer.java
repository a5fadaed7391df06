package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.IncomingMessage;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.WaitingReceives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;

/**
 * A consumer of one subscription name on one topic, or on every topic matching a pattern. It takes
 * a message from a subscription only for a receive that waits, so nothing is prefetched. State is
 * guarded by the broker lock.
 */
final class MemoryConsumer<T> implements BusConsumer<T> {

  /**
   * How many receives in a row one thread may get already completed. A receive loop written as
   * callbacks runs its next step inside {@code thenAccept} of a completed future, on the caller's
   * stack, so every such receive nests one level deeper; the next receive completes on the bus's
   * thread instead, which unwinds the stack. (Pulsar's receiveAsync always completes on its own
   * executor, so code written for Pulsar relies on this.)
   */
  static final int MAX_COMPLETED_RECEIVES_IN_A_ROW = 16;

  private static final ThreadLocal<int[]> COMPLETED_RECEIVES_IN_A_ROW =
      ThreadLocal.withInitial(() -> new int[1]);

  private final MemoryBroker broker;
  private final SubscriptionSpec<T> spec;
  private final List<MemorySubscription> subscriptions = new ArrayList<>();
  private final WaitingReceives<IncomingMessage<T>> waitingReceives;
  private final Set<MemoryIncomingMessage<T>> unacknowledged = new LinkedHashSet<>();
  // Written under broker.lock; volatile so that isConnected() reads it without the lock.
  private volatile String closedReason;
  private int nextSubscription;

  MemoryConsumer(MemoryBroker broker, SubscriptionSpec<T> spec) {
    this.broker = broker;
    this.spec = spec;
    this.waitingReceives = new WaitingReceives<>(broker.lock);
  }

  @Override
  public String subscription() {
    return spec.subscription();
  }

  @Override
  public CompletableFuture<IncomingMessage<T>> receive() {
    CompletableFuture<IncomingMessage<T>> receive;
    DeferredCompletions completions = broker.newCompletions();
    boolean available;
    synchronized (broker.lock) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new IllegalStateException(closedReason));
      }
      receive = waitingReceives.enqueue();
      available = takeFromABacklogLocked(completions);
    }
    int[] inARow = COMPLETED_RECEIVES_IN_A_ROW.get();
    if (!available) {
      inARow[0] = 0;
      completions.run();
    } else if (inARow[0] < MAX_COMPLETED_RECEIVES_IN_A_ROW) {
      inARow[0]++;
      completions.run();
    } else {
      inARow[0] = 0;
      completions.runElsewhere();
    }
    return receive;
  }

  /** True until this consumer or its bus is closed: an in-memory bus has no connection to lose. */
  @Override
  public boolean isConnected() {
    return closedReason == null;
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    DeferredCompletions completions = broker.newCompletions();
    synchronized (broker.lock) {
      closeLocked(description() + " closed", completions);
    }
    completions.run();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return "MemoryConsumer[" + description() + "]";
  }

  Schema<T> schema() {
    return spec.schema();
  }

  SubscriptionSpec<T> spec() {
    return spec;
  }

  /** Whether this pattern consumer wants {@code topic}; always false for a one-topic consumer. */
  boolean wantsNewTopic(String topic) {
    return spec.isPattern() && spec.topicsPattern().matcher(topic).matches();
  }

  /** Joins a subscription whose {@link MemorySubscription#refusalLocked} accepted this consumer. */
  void attachLocked(MemorySubscription subscription) {
    subscription.addConsumerLocked(this, spec.mode());
    subscriptions.add(subscription);
  }

  boolean isClosedLocked() {
    return closedReason != null;
  }

  boolean hasWaitingReceiveLocked() {
    return waitingReceives.hasLive();
  }

  /**
   * Hands {@code queued} to the oldest waiting receive. Call only right after {@link
   * #hasWaitingReceiveLocked()} returned true.
   */
  void deliverLocked(
      QueuedMessage queued, MemorySubscription subscription, DeferredCompletions completions) {
    CompletableFuture<IncomingMessage<T>> receive = waitingReceives.pollLive();
    MemoryIncomingMessage<T> message =
        new MemoryIncomingMessage<>(broker, this, subscription, queued);
    unacknowledged.add(message);
    completions.add(
        () -> {
          // The caller may have cancelled or timed out the receive after we chose it.
          if (!receive.complete(message)) {
            message.takeBack();
          }
        });
  }

  /** The message is no longer this consumer's to return on close. */
  void forgetLocked(MemoryIncomingMessage<T> message) {
    unacknowledged.remove(message);
  }

  /**
   * Leaves every subscription, fails the waiting receives with {@code reason}, and gives the
   * unacknowledged messages back to their subscriptions with their redelivery count raised; a
   * temporary subscription is removed instead, with its messages. Idempotent.
   */
  void closeLocked(String reason, DeferredCompletions completions) {
    if (closedReason != null) {
      return;
    }
    closedReason = reason;
    for (CompletableFuture<IncomingMessage<T>> receive : waitingReceives.drain()) {
      completions.fail(receive, new IllegalStateException(reason));
    }
    broker.forgetConsumerLocked(this);
    for (MemorySubscription subscription : subscriptions) {
      subscription.removeConsumerLocked(this);
    }
    Map<MemorySubscription, List<QueuedMessage>> returned = new LinkedHashMap<>();
    for (MemoryIncomingMessage<T> message : unacknowledged) {
      returned
          .computeIfAbsent(message.subscription(), ignored -> new ArrayList<>())
          .add(message.returnLocked());
    }
    unacknowledged.clear();
    if (spec.isTemporary()) {
      for (MemorySubscription subscription : subscriptions) {
        broker.removeSubscriptionLocked(subscription);
      }
      return;
    }
    returned.forEach(
        (subscription, messages) -> subscription.requeueFirstLocked(messages, completions));
  }

  String description() {
    return spec.isPattern()
        ? "consumer of subscription '"
            + spec.subscription()
            + "' on topics matching '"
            + spec.topicsPattern().pattern()
            + "'"
        : "consumer of subscription '" + spec.subscription() + "' on topic '" + spec.topic() + "'";
  }

  /**
   * Takes the next backlog message for the receive just queued, visiting this consumer's
   * subscriptions in turn. Returns whether there was one.
   */
  private boolean takeFromABacklogLocked(DeferredCompletions completions) {
    int count = subscriptions.size();
    for (int i = 0; i < count; i++) {
      int index = (nextSubscription + i) % count;
      MemorySubscription subscription = subscriptions.get(index);
      if (subscription.hasBacklogLocked()) {
        nextSubscription = (index + 1) % count;
        subscription.dispatchLocked(completions);
        return true;
      }
    }
    return false;
  }
}
