package io.pulsarrpc.bus.memory;

import io.pulsarrpc.bus.BusConsumer;
import io.pulsarrpc.bus.BusMessageId;
import io.pulsarrpc.bus.BusProducer;
import io.pulsarrpc.bus.ProducerSpec;
import io.pulsarrpc.bus.SubscriptionSpec;
import io.pulsarrpc.bus.support.DaemonThreadFactory;
import io.pulsarrpc.bus.support.MessageSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pulsar.client.api.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one in-memory bus: topics, subscriptions, consumers, producers, and the bus's one
 * thread, which runs the timers of delayed and negatively acknowledged messages and the completions
 * {@link DeferredCompletions} moves off a deep stack.
 *
 * <p>One lock guards all of it, which keeps every rule easy to check: for each subscription, a
 * message is in exactly one place (its backlog, a consumer's unacknowledged set, or a timer).
 * Futures are completed only after the lock is released.
 */
final class MemoryBroker {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryBroker.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Guards every mutable field of the broker and of its topics, subscriptions and consumers. */
  final Object lock = new Object();

  private final long negativeAckRedeliveryDelayNanos;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Map<String, MemoryTopic> topics = new HashMap<>();
  private final Set<MemoryConsumer<?>> consumers = new LinkedHashSet<>();
  private final Set<MemoryConsumer<?>> patternConsumers = new LinkedHashSet<>();
  private final Set<MemoryProducer<?>> producers = new LinkedHashSet<>();
  private long lastSequence;
  private CompletableFuture<Void> closed;

  MemoryBroker(Duration negativeAckRedeliveryDelay) {
    this.negativeAckRedeliveryDelayNanos = saturatedNanos(negativeAckRedeliveryDelay);
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1, new DaemonThreadFactory("pulsar-rpc-memory-bus-" + INSTANCES.incrementAndGet()));
    // On close, timers not yet due are dropped, but completions handed over by
    // DeferredCompletions still run: a receive future must never be left hanging.
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Collects completions to run once the lock is released. */
  DeferredCompletions newCompletions() {
    return new DeferredCompletions(scheduler);
  }

  static void checkProducerConfig(Map<String, Object> config) {
    if (config == null) {
      throw new IllegalArgumentException("producer config must not be null");
    }
    if (!config.isEmpty()) {
      throw new IllegalArgumentException(
          "the memory bus has no producer settings; remove producer config keys "
              + new TreeSet<>(config.keySet()));
    }
  }

  <T> CompletableFuture<BusProducer<T>> createProducer(ProducerSpec<T> spec) {
    checkProducerConfig(spec.config());
    MemoryProducer<T> producer = new MemoryProducer<>(this, spec);
    synchronized (lock) {
      if (isClosedLocked()) {
        return CompletableFuture.failedFuture(busClosed());
      }
      // Creating a producer creates the topic, as on Pulsar, so pattern consumers see it.
      topicLocked(spec.topic());
      producers.add(producer);
    }
    return CompletableFuture.completedFuture(producer);
  }

  <T> CompletableFuture<BusConsumer<T>> subscribe(SubscriptionSpec<T> spec) {
    MemoryConsumer<T> consumer = new MemoryConsumer<>(this, spec);
    synchronized (lock) {
      if (isClosedLocked()) {
        return CompletableFuture.failedFuture(busClosed());
      }
      List<MemoryTopic> targets = new ArrayList<>();
      if (spec.isPattern()) {
        for (MemoryTopic topic : topics.values()) {
          if (spec.topicsPattern().matcher(topic.name()).matches()) {
            targets.add(topic);
          }
        }
      } else {
        targets.add(topicLocked(spec.topic()));
      }
      // All or nothing, as a Pulsar multi-topic subscribe.
      for (MemoryTopic topic : targets) {
        MemorySubscription existing = topic.findSubscriptionLocked(spec.subscription());
        String refusal =
            existing == null ? null : existing.refusalLocked(spec.mode(), spec.isTemporary());
        if (refusal != null) {
          return CompletableFuture.failedFuture(new IllegalStateException(refusal));
        }
      }
      for (MemoryTopic topic : targets) {
        consumer.attachLocked(topic.subscriptionLocked(spec.subscription(), spec.isTemporary()));
      }
      consumers.add(consumer);
      if (spec.isPattern()) {
        patternConsumers.add(consumer);
      }
    }
    return CompletableFuture.completedFuture(consumer);
  }

  CompletableFuture<MessageId> publish(
      MemoryProducer<?> producer, MessageSettings settings, byte[] data, boolean nullValue) {
    DeferredCompletions completions = newCompletions();
    BusMessageId id;
    synchronized (lock) {
      if (isClosedLocked()) {
        return CompletableFuture.failedFuture(busClosed());
      }
      if (producer.isClosedLocked()) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("producer of topic '" + producer.topic() + "' is closed"));
      }
      MemoryTopic topic = topicLocked(producer.topic());
      long sequence = ++lastSequence;
      long now = System.currentTimeMillis();
      id = new BusMessageId(topic.name(), String.valueOf(sequence), sequence);
      StoredMessage message =
          new StoredMessage(
              topic.name(),
              settings.key(),
              settings.properties(),
              data,
              nullValue,
              id,
              sequence,
              now);
      // With no subscription the message is dropped, as on Pulsar without retention.
      List<MemorySubscription> subscriptions = topic.subscriptionsLocked();
      if (!subscriptions.isEmpty()) {
        if (settings.deliverAt() > now) {
          scheduleLocked(
              () -> releaseDelayed(message, subscriptions, settings.deliverAt()),
              settings.deliverAt() - now,
              TimeUnit.MILLISECONDS);
        } else {
          for (MemorySubscription subscription : subscriptions) {
            subscription.enqueueLocked(new QueuedMessage(message, 0), completions);
          }
        }
      }
    }
    completions.run();
    return CompletableFuture.completedFuture(id);
  }

  /**
   * Closes every consumer (failing their waiting receives) and producer, then stops the bus's
   * thread once it has run the completions handed to it: delayed and negatively acknowledged
   * messages not yet due are dropped. Idempotent.
   */
  CompletableFuture<Void> close() {
    DeferredCompletions completions = newCompletions();
    CompletableFuture<Void> result;
    synchronized (lock) {
      if (closed != null) {
        return closed;
      }
      result = new CompletableFuture<>();
      closed = result;
      for (MemoryConsumer<?> consumer : List.copyOf(consumers)) {
        consumer.closeLocked("memory bus closed", completions);
      }
      for (MemoryProducer<?> producer : List.copyOf(producers)) {
        producer.closeLocked();
      }
      topics.clear();
    }
    scheduler.shutdown();
    completions.run();
    result.complete(null);
    return result;
  }

  boolean isClosedLocked() {
    return closed != null;
  }

  boolean isBusThreadTerminated() {
    return scheduler.isTerminated();
  }

  /** Runs {@code task} on the timer after the negative-ack redelivery delay. */
  void scheduleRedeliveryLocked(Runnable task) {
    scheduleLocked(task, negativeAckRedeliveryDelayNanos, TimeUnit.NANOSECONDS);
  }

  void forgetConsumerLocked(MemoryConsumer<?> consumer) {
    consumers.remove(consumer);
    patternConsumers.remove(consumer);
  }

  /**
   * The names of the subscriptions {@code topic} has now (none for an unknown topic); for tests.
   */
  List<String> subscriptionNames(String topic) {
    synchronized (lock) {
      MemoryTopic known = topics.get(topic);
      return known == null ? List.of() : known.subscriptionNamesLocked();
    }
  }

  /** Removes a temporary subscription from its topic once its consumer closed. */
  void removeSubscriptionLocked(MemorySubscription subscription) {
    MemoryTopic topic = topics.get(subscription.topic());
    if (topic != null) {
      topic.removeSubscriptionLocked(subscription);
    } else {
      subscription.removedLocked();
    }
  }

  void forgetProducerLocked(MemoryProducer<?> producer) {
    producers.remove(producer);
  }

  private void scheduleLocked(Runnable task, long delay, TimeUnit unit) {
    // The timer is shut down only after the closed flag is set under this lock.
    if (!isClosedLocked()) {
      scheduler.schedule(task, delay, unit);
    }
  }

  private void releaseDelayed(
      StoredMessage message, List<MemorySubscription> subscriptions, long deliverAt) {
    DeferredCompletions completions = newCompletions();
    synchronized (lock) {
      long early = deliverAt - System.currentTimeMillis();
      if (early > 0) {
        // The timer runs on System.nanoTime, which may wake us before the wall clock reaches
        // deliverAt; the contract is "never earlier" by the wall clock.
        scheduleLocked(
            () -> releaseDelayed(message, subscriptions, deliverAt), early, TimeUnit.MILLISECONDS);
        return;
      }
      if (isClosedLocked()) {
        return;
      }
      for (MemorySubscription subscription : subscriptions) {
        subscription.enqueueLocked(new QueuedMessage(message, 0), completions);
      }
    }
    completions.run();
  }

  /** The topic of that name, created on first use; pattern consumers join it at once. */
  private MemoryTopic topicLocked(String name) {
    MemoryTopic topic = topics.get(name);
    if (topic != null) {
      return topic;
    }
    topic = new MemoryTopic(name);
    topics.put(name, topic);
    for (MemoryConsumer<?> consumer : patternConsumers) {
      if (!consumer.wantsNewTopic(name)) {
        continue;
      }
      MemorySubscription subscription =
          topic.subscriptionLocked(consumer.subscription(), consumer.spec().isTemporary());
      String refusal =
          subscription.refusalLocked(consumer.spec().mode(), consumer.spec().isTemporary());
      if (refusal == null) {
        consumer.attachLocked(subscription);
      } else {
        // Two pattern consumers share the subscription name but not the mode. Pulsar's topic
        // discovery fails the same way, and the consumer keeps its other topics.
        LOG.warn("{} does not join new topic '{}': {}", consumer.description(), name, refusal);
      }
    }
    return topic;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException longerThan292Years) {
      return Long.MAX_VALUE;
    }
  }

  private static IllegalStateException busClosed() {
    return new IllegalStateException("memory bus closed");
  }
}
